/**
 * A sample PTG for recaps: three teams with two booked sessions each (one of them two slots
 * merged), and their pads as they grow: a template the week before, notes in each session,
 * a late addition after the event. Each write is the pad's whole markdown at that moment.
 */

export const SAMPLE_EVENT = {
  slug: 'ptg2026',
  body: {
    name: '2026.2 PTG',
    timeZone: 'UTC',
    startsOn: '2026-04-14',
    endsOn: '2026-04-16',
    rooms: ['Bexar', 'Austin'],
    slots: [
      { name: 'am1', start: '09:00', end: '10:30' },
      { name: 'am2', start: '10:30', end: '12:00' },
      { name: 'pm', start: '14:00', end: '16:00' },
    ],
    teams: [
      { slug: 'nova', name: 'Nova', color: '#0b5394' },
      { slug: 'cinder', name: 'Cinder', color: '#b45f06' },
      { slug: 'neutron', name: 'Neutron', color: '#38761d' },
    ],
    bookings: [
      { room: 'Bexar', day: '2026-04-14', slot: 'am1', team: 'nova' },
      { room: 'Bexar', day: '2026-04-14', slot: 'am2', team: 'nova' },
      { room: 'Bexar', day: '2026-04-16', slot: 'pm', team: 'nova' },
      { room: 'Austin', day: '2026-04-14', slot: 'pm', team: 'cinder' },
      { room: 'Austin', day: '2026-04-15', slot: 'am1', team: 'cinder' },
      { room: 'Austin', day: '2026-04-15', slot: 'am2', team: 'cinder' },
      { room: 'Bexar', day: '2026-04-15', slot: 'pm', team: 'neutron' },
      { room: 'Austin', day: '2026-04-16', slot: 'am1', team: 'neutron' },
      { room: 'Austin', day: '2026-04-16', slot: 'am2', team: 'neutron' },
    ],
  },
};

const NOVA = [
  `# Nova 2026.2 PTG

## Agenda

- Live migration with cell_v2
- Unified limits
`,
  `
## Live migration with cell_v2

Discussed the [quota] checks during migration, see https://review.opendev.org/c/openstack/nova/+/912345

AGREED: keep the old flow for one more cycle, then remove it in 2027.1

ACTION(gibi): write the spec for the new migration flow

- [ ] sean-k-mooney: update the live migration docs
- [x] bauzas: book the room for Thursday

#info the gate is green again after the libvirt bump
`,
  `
## Unified limits

TODO(melwitt): add the upgrade check for unified limits

#agreed unified limits become the default in 2027.1

### Questions

- Who owns the placement side of the quota checks?
- Do we backport the fix to 2025.2?

#link https://etherpad.opendev.org/p/nova-unified-limits
`,
];

const CINDER = [
  `# Cinder 2026.2 PTG

## Agenda

- Backup drivers
- LVM
`,
  `
## Backup drivers

DECISION: backups go to Swift by default

#action rosmaita write the backup driver deprecation notice

- [ ] whoami-rajat: test the S3 backup driver against Ceph RGW
`,
  `
## LVM

QUESTION: do we still test the LVM driver with iSCSI in the gate?

AI(eharney): collect gate numbers for LVM over iSCSI and NVMe-oF

AGREED: nvmet becomes the default LVM target
`,
];

const NEUTRON = [
  `# Neutron 2026.2 PTG

## Agenda

- OVN migration
- Stadium projects
`,
  `
## OVN migration

#agreed the ML2/OVS to OVN migration tool stays in tree

ACTION(ralonsoh): write the migration guide for operators

- [ ] (slaweq) add a grenade job for the migration
`,
  `
## Stadium projects

Action: haleyb: mail the networking-bgpvpn maintainers about the stadium status

#info networking-sfc has a new core reviewer

Decision: networking-odl leaves the stadium this cycle
`,
];

/** Cumulative markdown: the first `n` parts of a pad. */
const upTo = (parts: string[], n: number) => parts.slice(0, n).join('');

export const SAMPLE_WRITES: { at: string; padId: string; markdown: string }[] = [
  { at: '2026-04-07T10:00:00Z', padId: 'ptg2026-nova', markdown: upTo(NOVA, 1) },
  { at: '2026-04-07T10:05:00Z', padId: 'ptg2026-cinder', markdown: upTo(CINDER, 1) },
  { at: '2026-04-07T10:10:00Z', padId: 'ptg2026-neutron', markdown: upTo(NEUTRON, 1) },
  { at: '2026-04-14T09:20:00Z', padId: 'ptg2026-nova', markdown: upTo(NOVA, 2) },
  { at: '2026-04-14T14:30:00Z', padId: 'ptg2026-cinder', markdown: upTo(CINDER, 2) },
  { at: '2026-04-15T10:45:00Z', padId: 'ptg2026-cinder', markdown: upTo(CINDER, 3) },
  { at: '2026-04-15T14:15:00Z', padId: 'ptg2026-neutron', markdown: upTo(NEUTRON, 2) },
  { at: '2026-04-16T09:40:00Z', padId: 'ptg2026-neutron', markdown: upTo(NEUTRON, 3) },
  { at: '2026-04-16T14:20:00Z', padId: 'ptg2026-nova', markdown: upTo(NOVA, 3) },
  { at: '2026-04-17T08:00:00Z', padId: 'ptg2026-nova', markdown: `${upTo(NOVA, 3)}\nAfter the PTG: the spec is up for review.\n` },
];

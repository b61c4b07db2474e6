/** Recaps: the summary of a seeded three-team event gives exactly the expected items. */
import { describe, expect, it } from 'vitest';
import { padMarkdown } from '../../common/markdown/pad-markdown.js';
import { buildEventRecap, buildPadRecap, ownersOf, summarizePad, type RecapTeam } from '../../common/markdown/recap.js';

const md = padMarkdown();
const doc = (markdown: string) => md.parseToJSON(markdown);

const NOVA = `# Nova PTG

## Attendees
- alice
- bob

## Live migration
Discussion went long; nobody said AGREED: mid-line counts.\\
AGREED: deprecate the old API in 2027.1

- [ ] Write the spec @alice
- [x] Book the room @bob
- [ ] Ping the docs team (carol)
  - [ ] Nested follow-up for @dave and @erin

## Decisions
- Keep the microversion
- Move the meeting to Thursday

## Questions
- Who owns the gate?
- This is not a question.
`;

const CINDER = `# Cinder

DECISION: Backups go to Swift by default

QUESTION: Do we still need the LVM driver?

- [ ] (frank) Release notes
- [x] Done already (gina)
`;

const NEUTRON = `# Neutron

Nothing decided. Is this a question? Not under a Questions heading, so no.

\`\`\`
AGREED: inside code is not a decision
- [ ] nor an action
\`\`\`
`;

function team(slug: string, name: string, markdown: string | null): RecapTeam {
  return { slug, name, pads: [{ id: `ptg-${slug}`, url: `http://example.org/p/ptg-${slug}`, doc: markdown === null ? null : doc(markdown) }] };
}

const teams = [team('nova', 'Nova', NOVA), team('cinder', 'Cinder', CINDER), team('neutron', 'Neutron', NEUTRON), team('swift', 'Swift', null)];

describe('recap summary', () => {
  it('gathers exactly the open action items with team and owners', () => {
    const actions = teams.flatMap((t) => t.pads.flatMap((p) => (p.doc ? summarizePad(p.doc, p.id, t.name).actions : [])));
    expect(actions.map((a) => [a.text, a.team, a.owners])).toEqual([
      ['Write the spec @alice', 'Nova', ['alice']],
      ['Ping the docs team (carol)', 'Nova', ['carol']],
      ['Nested follow-up for @dave and @erin', 'Nova', ['dave', 'erin']],
      ['(frank) Release notes', 'Cinder', ['frank']],
    ]);
  });

  it('gathers exactly the decisions and open questions', () => {
    const all = teams.flatMap((t) => t.pads.map((p) => (p.doc ? summarizePad(p.doc, p.id, t.name) : null))).filter((s) => s !== null);
    expect(all.flatMap((s) => s.decisions.map((d) => [d.text, d.team]))).toEqual([
      ['deprecate the old API in 2027.1', 'Nova'],
      ['Keep the microversion', 'Nova'],
      ['Move the meeting to Thursday', 'Nova'],
      ['Backups go to Swift by default', 'Cinder'],
    ]);
    expect(all.flatMap((s) => s.questions.map((q) => [q.text, q.team]))).toEqual([
      ['Who owns the gate?', 'Nova'],
      ['Do we still need the LVM driver?', 'Cinder'],
    ]);
  });

  it('finds owners as @nick or (nick) at the start or end', () => {
    expect(ownersOf('Fix it @alice')).toEqual(['alice']);
    expect(ownersOf('Fix it (bob)')).toEqual(['bob']);
    expect(ownersOf('(carol) fix it')).toEqual(['carol']);
    expect(ownersOf('Fix (the) thing soon')).toEqual([]);
    expect(ownersOf('mail a@example.org')).toEqual([]);
  });
});

describe('event recap markdown', () => {
  const recap = buildEventRecap({ event: { slug: 'ptg', name: 'PTG 2026' }, teams });

  it('starts with the summary, then one section per team with a link and demoted headings', () => {
    expect(recap.startsWith('# Recap: PTG 2026\n\n## Summary\n\n### Action items\n\n- [ ] Write the spec @alice (Nova) — owner: @alice\n')).toBe(true);
    expect(recap).toContain('### Decisions\n\n- deprecate the old API in 2027.1 (Nova)\n');
    expect(recap).toContain('### Open questions\n\n- Who owns the gate? (Nova)\n- Do we still need the LVM driver? (Cinder)\n');
    const sections = [...recap.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(sections).toEqual(['Summary', 'Nova', 'Cinder', 'Neutron', 'Swift']);
    expect(recap).toContain('Pad: [ptg-nova](http://example.org/p/ptg-nova)');
    expect(recap).toContain('\n### Nova PTG\n');
    expect(recap).toContain('\n#### Live migration\n');
    expect(recap).toContain('## Swift\n\nPad: [ptg-swift](http://example.org/p/ptg-swift)\n\n_No notes yet._\n');
  });

  it('is itself markdown that reads back with the same structure', () => {
    expect(md.serialize(md.parse(recap))).toBe(md.serialize(md.parse(md.serialize(md.parse(recap)))));
  });

  it('summary only leaves out the notes', () => {
    const summary = buildEventRecap({ event: { slug: 'ptg', name: 'PTG 2026' }, teams }, { summaryOnly: true });
    expect(summary).toContain('### Action items');
    expect(summary).not.toContain('## Nova');
    expect(summary).not.toContain('Attendees');
  });

  it('a pad recap has the same summary for one pad', () => {
    const one = buildPadRecap({ id: 'ptg-cinder', url: 'http://x/p/ptg-cinder', doc: doc(CINDER) });
    expect(one).toContain('- [ ] (frank) Release notes — owner: @frank\n');
    expect(one).toContain('- Backups go to Swift by default\n');
    expect(one).toContain('## Notes\n\n### Cinder\n');
  });

  it('escapes hostile team names', () => {
    const out = buildEventRecap({ event: { slug: 'x', name: '*Evil* <script>' }, teams: [team('t', '# [x](javascript:alert(1))', 'hi')] });
    expect(out).toContain('# Recap: \\*Evil\\* &lt;script&gt;');
    expect(out).toContain('## \\# \\[x\\](javascript:alert(1))');
  });
});

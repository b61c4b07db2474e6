/** Recaps: per-team summaries and notes of a seeded event, forks left out, markdown made for pasting, 72-column text. */
import type { JSONContent } from '@tiptap/core';
import { describe, expect, it } from 'vitest';
import { padMarkdown } from '../../common/markdown/pad-markdown.js';
import { eventRecap, padRecap, recapDoc, recapMarkdown, recapText, writeRecap, type RecapTeam } from '../../common/markdown/recap.js';
import { docToWrappedText } from '../../common/markdown/wrapped-text.js';
import { summarizePad } from '../../common/markdown/recap-summary.js';
import { plainText } from '../../common/markdown/inline-lines.js';

const md = padMarkdown();
const doc = (markdown: string) => md.parseToJSON(markdown);

const NOVA = `# Nova PTG

## Live migration

Discussion went long about cell_v2 and [quota] limits, see https://review.opendev.org/c/openstack/nova/+/123456

AGREED: deprecate the old API in 2027.1

ACTION(gibi): write the spec

#action melwitt ping the docs team

- [ ] Write the tests @alice
- [x] Book the room @bob
- [ ] (carol) Release notes
  - [ ] Nested follow-up for @dave and @erin

### Decisions

- Keep the microversion

### Questions

- Who owns the gate?
- This is not a question.

#info the gate is green again

#link https://etherpad.opendev.org/p/nova-ptg

~~ACTION(zed): struck through, so done~~
`;

const CINDER = `# Cinder

DECISION: Backups go to Swift by default

QUESTION: Do we still need the LVM driver?

TODO(frank): release notes
`;

const NEUTRON = `# Neutron

Nothing decided. Is this a question? Not under a Questions heading, so no.

\`\`\`
AGREED: inside code is not a decision
- [ ] nor an action
\`\`\`
`;

function team(
  slug: string,
  name: string,
  ...pads: { id: string; markdown: string | null; forkOf?: { padId: string; rev: number } }[]
): RecapTeam {
  return {
    slug,
    name,
    pads: pads.map((p) => ({
      id: p.id,
      url: `http://example.org/p/${p.id}`,
      doc: p.markdown === null ? null : doc(p.markdown),
      forkOf: p.forkOf ?? null,
    })),
  };
}

const teams = [
  team(
    'nova',
    'Nova (Compute)',
    { id: 'ptg-nova', markdown: NOVA },
    { id: 'ptg-nova-r12', markdown: '# Fork\n\nACTION(ghost): only in the fork\n', forkOf: { padId: 'ptg-nova', rev: 12 } },
  ),
  team('cinder', 'Cinder', { id: 'ptg-cinder', markdown: CINDER }),
  team('neutron', 'Neutron', { id: 'ptg-neutron', markdown: NEUTRON }),
  team('swift', 'Swift', { id: 'ptg-swift', markdown: null }),
];
const event = { name: 'PTG 2026', url: 'http://example.org/e/ptg' };

describe('recap summary of a pad', () => {
  const items = (markdown: string) => summarizePad(doc(markdown)).map((i) => [i.kind, plainText({ content: i.content }), i.owners]);

  it('finds every kind of item with its owners, in document order', () => {
    expect(items(NOVA)).toEqual([
      ['decision', 'deprecate the old API in 2027.1', []],
      ['action', 'write the spec', ['gibi']],
      ['action', 'ping the docs team', ['melwitt']],
      ['action', 'Write the tests @alice', ['alice']],
      ['action', 'Release notes', ['carol']],
      ['action', 'Nested follow-up for @dave and @erin', ['dave', 'erin']],
      ['decision', 'Keep the microversion', []],
      ['question', 'Who owns the gate?', []],
      ['info', 'the gate is green again', []],
      ['link', 'https://etherpad.opendev.org/p/nova-ptg', []],
    ]);
    expect(items(CINDER)).toEqual([
      ['decision', 'Backups go to Swift by default', []],
      ['question', 'Do we still need the LVM driver?', []],
      ['action', 'release notes', ['frank']],
    ]);
    expect(items(NEUTRON)).toEqual([]);
  });

  it('keeps marks and links in an item', () => {
    const [item] = summarizePad(doc('ACTION(gibi): read **the** [spec](https://x.org/s)\n'));
    expect(md.serialize({ type: 'doc', content: [{ type: 'paragraph', content: item.content }] })).toBe(
      'read **the** [spec](https://x.org/s)\n',
    );
  });
});

describe('event recap', () => {
  const recap = eventRecap({ event, teams });
  const markdown = recapMarkdown(recap);

  it('has one part per team, each with its own summary, and names each team once', () => {
    expect([...markdown.matchAll(/^## (.+)$/gm)].map((m) => m[1])).toEqual(['Nova (Compute)', 'Cinder', 'Neutron', 'Swift']);
    const nova = recapMarkdown(recap, 'nova');
    expect(nova.startsWith('## Nova (Compute)\n\nPad: [Nova PTG](http://example.org/p/ptg-nova)\n\n')).toBe(true);
    expect(nova).toContain(
      [
        '### Action items',
        '- [ ] gibi: write the spec\n- [ ] melwitt: ping the docs team\n- [ ] Write the tests @alice\n- [ ] carol: Release notes\n- [ ] Nested follow-up for @dave and @erin',
        '### Decisions',
        '- deprecate the old API in 2027.1\n- Keep the microversion',
        '### Open questions',
        '- Who owns the gate?',
        '### Information',
        '- the gate is green again',
        '### Links',
        '- <https://etherpad.opendev.org/p/nova-ptg>',
      ].join('\n\n'),
    );
    // The team's name is its heading, not a suffix on every item.
    expect(markdown).not.toContain('(Nova');
    expect(markdown.split('Nova (Compute)').length - 1).toBe(2);
    expect(recap.teams.map((t) => [t.slug, t.counts.action, t.counts.decision, t.counts.question])).toEqual([
      ['nova', 5, 2, 1],
      ['cinder', 1, 1, 1],
      ['neutron', 0, 0, 0],
      ['swift', 0, 0, 0],
    ]);
  });

  it('lists a fork without repeating its items or notes', () => {
    expect(markdown).toContain(
      'Fork, left out of this recap: [ptg-nova-r12](http://example.org/p/ptg-nova-r12) (of ptg-nova at revision 12)',
    );
    expect(markdown).not.toContain('only in the fork');
    expect(markdown).not.toContain('ghost');
  });

  it("renumbers each pad's headings under the team without gaps and takes out its title heading", () => {
    const nova = recapMarkdown(recap, 'nova');
    const notes = nova.slice(nova.indexOf('### Notes'));
    expect([...notes.matchAll(/^(#+) (.+)$/gm)].map((m) => `${m[1].length} ${m[2]}`)).toEqual([
      '3 Notes',
      '4 Live migration',
      '5 Decisions',
      '5 Questions',
    ]);
    expect(notes).not.toContain('Nova PTG');
    const gaps = eventRecap({
      event,
      teams: [team('t', 'T', { id: 'p', markdown: 'intro\n\n## Two\n\ntext\n\n##### Five\n\nmore\n\n### Three\n\nend\n' })],
    });
    expect([...recapMarkdown(gaps).matchAll(/^(#+) (.+)$/gm)].map((m) => `${m[1].length} ${m[2]}`)).toEqual([
      '1 Recap: PTG 2026',
      '2 T',
      '3 Notes',
      '4 Two',
      '6 Five',
      '5 Three',
    ]);
  });

  it('is markdown made for pasting: no needless escapes, no &nbsp;', () => {
    expect(markdown).toContain(
      'Discussion went long about cell_v2 and [quota] limits, see <https://review.opendev.org/c/openstack/nova/+/123456>',
    );
    expect(markdown).not.toMatch(/\\[:_[\]@]|&nbsp;|https\\:/);
    const withBlanks = eventRecap({ event, teams: [team('t', 'T', { id: 'p', markdown: 'one\n\n&nbsp;\n\n&nbsp;\n\ntwo\n' })] });
    expect(recapMarkdown(withBlanks)).toContain('### Notes\n\none\n\ntwo\n');
  });

  it('writes the same whole recap part by part as in one piece', () => {
    const whole = recapDoc(recap);
    expect(markdown).toBe(md.serialize(whole, { style: 'paste' }));
    expect(recapText(recap)).toBe(docToWrappedText(whole));
    const written = writeRecap(recap);
    expect(written.markdown).toBe(markdown);
    expect(written.text).toBe(recapText(recap));
    expect(written.teams.map((t) => t.markdown)).toEqual(recap.teams.map((t) => recapMarkdown(recap, t.slug)));
  });

  it('is itself markdown that reads back with the same structure', () => {
    expect(md.serialize(md.parse(markdown))).toBe(md.serialize(md.parse(md.serialize(md.parse(markdown)))));
  });

  it('says when a team has nothing written, and leaves notes out of a summary', () => {
    expect(recapMarkdown(recap, 'swift')).toBe('## Swift\n\nPad: [ptg-swift](http://example.org/p/ptg-swift)\n\n*No notes yet.*\n');
    const summary = recapMarkdown(eventRecap({ event, teams }, { summaryOnly: true }));
    expect(summary).toContain('### Action items');
    expect(summary).not.toContain('### Notes');
    expect(summary).not.toContain('Live migration');
  });

  it('escapes hostile names', () => {
    const out = recapMarkdown(
      eventRecap({
        event: { name: '*Evil* <script>', url: 'http://x/e/x' },
        teams: [team('t', '# [x](javascript:alert(1))', { id: 'p', markdown: 'hi' })],
      }),
    );
    expect(out).toContain('# Recap: \\*Evil\\* &lt;script>');
    expect(out).toContain('## \\# [x\\](javascript:alert(1))');
  });
});

describe('plain-text recap', () => {
  const text = recapText(eventRecap({ event, teams }));

  it('wraps at 72 columns, except words longer than a line', () => {
    for (const line of text.split('\n')) {
      if (line.length > 72) expect(line.trim(), line).not.toContain(' ');
    }
    expect(text).toContain(
      'Discussion went long about cell_v2 and [quota] limits, see\nhttps://review.opendev.org/c/openstack/nova/+/123456\n',
    );
  });

  it('underlines headings, marks tasks with [ ] and writes links as text <address>', () => {
    expect(
      text.startsWith(
        'Recap: PTG 2026\n===============\n\nNotes of Nova (Compute), Cinder, Neutron and Swift at PTG 2026\n<http://example.org/e/ptg>.\n',
      ),
    ).toBe(true);
    expect(text).toContain('Nova (Compute)\n--------------\n\nPad: Nova PTG <http://example.org/p/ptg-nova>\n');
    expect(text).toContain('Action items\n~~~~~~~~~~~~\n\n[ ] gibi: write the spec\n[ ] melwitt: ping the docs team\n');
    expect(text).toContain('\nLive migration:\n');
    expect(text).not.toMatch(/[*_]{2}|\\/);
  });

  it('indents the continuation of a wrapped list item under its text', () => {
    const long = eventRecap({ event, teams: [team('t', 'T', { id: 'p', markdown: `- ${'word '.repeat(30)}\n` })] });
    const lines = recapText(long)
      .split('\n')
      .filter((l) => l.includes('word'));
    expect(lines[0].startsWith('- word')).toBe(true);
    expect(lines.slice(1).every((l) => l.startsWith('  word') && l.length <= 72)).toBe(true);
  });
});

describe('pad recap', () => {
  it('has the summary of one pad, then its notes', () => {
    const recap = padRecap({ id: 'ptg-cinder', url: 'http://x/p/ptg-cinder', doc: doc(CINDER) });
    const out = recapMarkdown(recap);
    expect(
      out.startsWith('# Recap: Cinder\n\nPad: [Cinder](http://x/p/ptg-cinder)\n\n## Action items\n\n- [ ] frank: release notes\n'),
    ).toBe(true);
    expect(out).toContain('## Decisions\n\n- Backups go to Swift by default\n');
    expect(out).toContain('## Notes\n\nDECISION: Backups go to Swift by default\n');
  });

  it('names a pad by its title, else its first heading, else its id', () => {
    const content: JSONContent = doc('## First heading\n\ntext\n');
    expect(padRecap({ id: 'p', title: 'Quotas', url: 'u', doc: content }).title).toBe('Recap: Quotas');
    expect(padRecap({ id: 'p', url: 'u', doc: content }).title).toBe('Recap: First heading');
    expect(padRecap({ id: 'p', url: 'u', doc: doc('text only\n') }).title).toBe('Recap: p');
  });
});

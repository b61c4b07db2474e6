/**
 * By-session recaps: a real Y.Doc written in the shape TipTap gives it, its updates logged with
 * the times they were committed across two booked sessions (and before and after them); the
 * times each line was written come from that log (server/events/line-times.ts), and the notes
 * are split by session with their headings and list items as context.
 */
import type { JSONContent } from '@tiptap/core';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readPadDoc } from '../../common/markdown/pad-content.js';
import { padMarkdown } from '../../common/markdown/pad-markdown.js';
import { eventRecap, recapMarkdown } from '../../common/markdown/recap.js';
import { groupBySession, type SessionWindow } from '../../common/markdown/recap-sessions.js';
import { lineTimesOf, WriteTimes } from '../../server/events/line-times.js';

const at = (iso: string) => Date.parse(iso);
const sessions: SessionWindow[] = [
  { label: 'Tuesday 14:00-16:00, room Bexar', startsAt: at('2026-04-14T14:00:00Z'), endsAt: at('2026-04-14T16:00:00Z') },
  { label: 'Wednesday 09:00-11:00, room Bexar', startsAt: at('2026-04-15T09:00:00Z'), endsAt: at('2026-04-15T11:00:00Z') },
];

/** A pad's Y.Doc and its update log: each `write` is one committed update at the given time. */
class LoggedPad {
  readonly doc = new Y.Doc();
  readonly writes = new WriteTimes();
  readonly fragment = this.doc.getXmlFragment('default');

  write(iso: string, change: (fragment: Y.XmlFragment) => void): void {
    const time = at(iso);
    const log = (update: Uint8Array) => this.writes.add(update, time);
    this.doc.on('update', log);
    this.doc.transact(() => change(this.fragment));
    this.doc.off('update', log);
  }

  json(): JSONContent {
    return readPadDoc(this.doc, padMarkdown().schema).toJSON() as JSONContent;
  }
}

function block(name: string, text: string, attrs: Record<string, unknown> = {}): Y.XmlElement {
  const element = new Y.XmlElement(name);
  for (const [key, value] of Object.entries(attrs)) element.setAttribute(key, value as string);
  element.insert(0, [new Y.XmlText(text)]);
  return element;
}
/** A new element holding `children` (built before it joins the doc, so nothing reads it yet). */
function wrap(name: string, ...children: Y.XmlElement[]): Y.XmlElement {
  const element = new Y.XmlElement(name);
  element.insert(0, children);
  return element;
}
const append = (fragment: Y.XmlFragment | Y.XmlElement, ...blocks: Y.XmlElement[]) => fragment.insert(fragment.length, blocks);
const heading = (level: number, text: string) => block('heading', text, { level });
const paragraph = (text: string) => block('paragraph', text);
const markdownOf = (doc: JSONContent) => padMarkdown().serialize(doc, { style: 'paste' });

function seed(): LoggedPad {
  const pad = new LoggedPad();
  // The week before: the template.
  pad.write('2026-04-07T10:00:00Z', (f) =>
    append(f, heading(1, 'Nova PTG'), heading(2, 'Agenda'), paragraph('Live migration, then unified limits')),
  );
  // Tuesday's session.
  pad.write('2026-04-14T14:05:00Z', (f) => append(f, heading(2, 'Live migration'), paragraph('AGREED: keep the old flow one more cycle')));
  pad.write('2026-04-14T14:20:00Z', (f) => {
    append(f, wrap('bulletList', wrap('listItem', paragraph('Discussed quotass with placement'))));
  });
  pad.write('2026-04-14T15:40:00Z', (f) => {
    const p = paragraph('Line one, written on Tuesday');
    p.insert(1, [new Y.XmlElement('hardBreak')]);
    append(f, p);
  });
  // Wednesday's session: a typo fixed in Tuesday's line, a nested item under it, a new line
  // after Tuesday's, a second line in Tuesday's paragraph, and a new section.
  pad.write('2026-04-15T09:10:00Z', (f) => {
    const list = f.get(5) as Y.XmlElement;
    const item = list.get(0) as Y.XmlElement;
    const text = (item.get(0) as Y.XmlElement).get(0) as Y.XmlText;
    text.delete('Discussed quotas'.length, 1);
    append(item, wrap('bulletList', wrap('listItem', paragraph('Follow-up from Wednesday'))));
    const twoLines = f.get(6) as Y.XmlElement;
    twoLines.insert(2, [new Y.XmlText('Line two, added on Wednesday')]);
  });
  pad.write('2026-04-15T09:30:00Z', (f) => {
    f.insert(6, [paragraph('More on live migration, on Wednesday')]);
    append(f, heading(2, 'Unified limits'), paragraph('ACTION(melwitt): write the docs'));
  });
  // After the event.
  pad.write('2026-04-20T08:00:00Z', (f) => append(f, paragraph('Late note after the event')));
  return pad;
}

describe('by-session grouping', () => {
  it('times each line by when most of it was written', () => {
    const pad = seed();
    const times = lineTimesOf(pad.fragment, pad.writes);
    expect(times.map((t) => [t.type, t.lines.map((time) => (time === null ? null : new Date(time).toISOString().slice(0, 16)))])).toEqual([
      ['heading', ['2026-04-07T10:00']],
      ['heading', ['2026-04-07T10:00']],
      ['paragraph', ['2026-04-07T10:00']],
      ['heading', ['2026-04-14T14:05']],
      ['paragraph', ['2026-04-14T14:05']],
      ['paragraph', ['2026-04-14T14:20']],
      ['paragraph', ['2026-04-15T09:10']],
      ['paragraph', ['2026-04-15T09:30']],
      ['paragraph', ['2026-04-14T15:40', '2026-04-15T09:10']],
      ['heading', ['2026-04-15T09:30']],
      ['paragraph', ['2026-04-15T09:30']],
      ['paragraph', ['2026-04-20T08:00']],
    ]);
  });

  it('splits the notes by session, keeping headings and list items as context', () => {
    const pad = seed();
    const groups = groupBySession(pad.json(), lineTimesOf(pad.fragment, pad.writes), sessions);
    expect(groups.map((g) => [g.session?.label ?? 'other', markdownOf(g.doc)])).toEqual([
      [
        'Tuesday 14:00-16:00, room Bexar',
        '# Nova PTG\n\n## Live migration\n\nAGREED: keep the old flow one more cycle\n\n- Discussed quotas with placement\n\nLine one, written on Tuesday\n',
      ],
      [
        'Wednesday 09:00-11:00, room Bexar',
        '# Nova PTG\n\n## Live migration\n\n- Discussed quotas with placement\n  - Follow-up from Wednesday\n\nMore on live migration, on Wednesday\n\nLine two, added on Wednesday\n\n## Unified limits\n\nACTION(melwitt): write the docs\n',
      ],
      ['other', '# Nova PTG\n\n## Agenda\n\nLive migration, then unified limits\n\n## Unified limits\n\nLate note after the event\n'],
    ]);
  });

  it('puts every line under other notes when the times do not describe the document', () => {
    const pad = seed();
    const groups = groupBySession(pad.json(), lineTimesOf(pad.fragment, pad.writes).slice(1), sessions);
    expect(groups.map((g) => g.session)).toEqual([null]);
  });

  it('gives lines of updates missing from the log (compacted history) no time', () => {
    const pad = seed();
    const partial = new WriteTimes();
    const times = lineTimesOf(pad.fragment, partial);
    expect(times.every((t) => t.lines.every((time) => time === null))).toBe(true);
  });

  it('writes a by-session recap: a section per session, then other notes', () => {
    const pad = seed();
    const recap = eventRecap(
      {
        event: { name: 'PTG', url: 'http://x/e/ptg' },
        teams: [
          {
            slug: 'nova',
            name: 'Nova',
            sessions,
            pads: [{ id: 'ptg-nova', url: 'http://x/p/ptg-nova', doc: pad.json(), lineTimes: lineTimesOf(pad.fragment, pad.writes) }],
          },
        ],
      },
      { bySession: true },
    );
    const out = recapMarkdown(recap, 'nova');
    expect([...out.matchAll(/^(#+) (.+)$/gm)].map((m) => `${m[1].length} ${m[2]}`)).toEqual([
      '2 Nova',
      '3 Action items',
      '3 Decisions',
      '3 Tuesday 14:00-16:00, room Bexar',
      '4 Live migration',
      '3 Wednesday 09:00-11:00, room Bexar',
      '4 Live migration',
      '4 Unified limits',
      '3 Other notes',
      '4 Agenda',
      '4 Unified limits',
    ]);
    const empty = eventRecap(
      { event: { name: 'PTG', url: 'u' }, teams: [{ slug: 'n', name: 'N', sessions, pads: [{ id: 'p', url: 'u', doc: null }] }] },
      { bySession: true },
    );
    expect(recapMarkdown(empty)).toContain(
      '### Tuesday 14:00-16:00, room Bexar\n\n*Nothing was written during this session.*\n\n### Wednesday',
    );
  });
});

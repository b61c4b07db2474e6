/**
 * People on one pad get distinct colours. Colours are picked at random on a first visit (one of
 * twelve), so two people on a pad often share one; their carets, names and authorship shading
 * could then not be told apart. When someone else on the pad has my colour and a lower client
 * id (a rule both sides apply alike, so only one of them moves), I take the first palette
 * colour nobody on the pad uses, starting at a place given by my client id so that several
 * movers spread out. The stored colour stays: this is for this pad, this visit.
 */
import type { Awareness } from 'y-protocols/awareness';
import { isHexColor, USER_COLORS } from './palette.js';

/** My new colour, or null when mine is mine alone on the pad (or every colour is taken). */
export function distinctColor(me: number, mine: string, others: ReadonlyMap<number, string>): string | null {
  const lower = mine.toLowerCase();
  let clash = false;
  const taken = new Set<string>();
  for (const [clientId, color] of others) {
    if (clientId === me) continue;
    taken.add(color.toLowerCase());
    if (color.toLowerCase() === lower && clientId < me) clash = true;
  }
  if (!clash) return null;
  const start = me % USER_COLORS.length;
  for (let i = 0; i < USER_COLORS.length; i += 1) {
    const candidate = USER_COLORS[(start + i) % USER_COLORS.length];
    if (!taken.has(candidate)) return candidate;
  }
  return null;
}

/** Calls `recolor` with a new colour whenever mine clashes (see above); returns the way to stop. */
export function keepColorDistinct(awareness: Awareness, recolor: (color: string) => void): () => void {
  const check = (): void => {
    const others = new Map<number, string>();
    awareness.getStates().forEach((state, clientId) => {
      const color: unknown = (state.user as { color?: unknown } | undefined)?.color;
      if (isHexColor(color)) others.set(clientId, color);
    });
    const mine = others.get(awareness.clientID);
    const next = mine === undefined ? null : distinctColor(awareness.clientID, mine, others);
    if (next) recolor(next);
  };
  awareness.on('change', check);
  check();
  return () => awareness.off('change', check);
}

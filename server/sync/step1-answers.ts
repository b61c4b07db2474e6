/**
 * A room's recent answers to sync step 1, by the state vector asked about. Valid only while the
 * doc stays unchanged: the room clears them on every change. Honest clients ask once per
 * connection with state vectors of their own, so a few entries are enough for repeats (one
 * client asking again and again, or many asking the same thing), and memory stays small.
 */
import type { JoinAnswer } from './join-snapshot.js';

const MAX_ENTRIES = 4;

export class Step1Answers {
  private readonly answers = new Map<string, JoinAnswer>();

  get(stateVector: Uint8Array): JoinAnswer | undefined {
    if (this.answers.size === 0) return undefined;
    return this.answers.get(keyOf(stateVector));
  }

  set(stateVector: Uint8Array, answer: JoinAnswer): void {
    const key = keyOf(stateVector);
    this.answers.delete(key);
    this.answers.set(key, answer);
    if (this.answers.size > MAX_ENTRIES) this.answers.delete(this.answers.keys().next().value as string);
  }

  clear(): void {
    if (this.answers.size > 0) this.answers.clear();
  }
}

/** The state vector's bytes as a string key (one char per byte). */
const keyOf = (stateVector: Uint8Array): string =>
  Buffer.from(stateVector.buffer, stateVector.byteOffset, stateVector.byteLength).toString('latin1');

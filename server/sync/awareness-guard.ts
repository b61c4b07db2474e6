/**
 * Checks and cleans an untrusted awareness update before it is applied: counts bounded by the
 * frame's size, each state valid JSON of bounded size, dangerous keys (`__proto__`,
 * `constructor`, `prototype`) removed, and the display name and colour capped. Throws
 * `SocketCloseError` (1007) with what it found.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { CloseCode, CloseReason } from '../../common/protocol.js';
import { SocketCloseError } from './close-error.js';

const invalid = (reason: string) => new SocketCloseError(CloseCode.invalidPayload, reason);

/** Largest JSON state one client may publish, characters. */
export const MAX_AWARENESS_STATE = 4 * 1024;
export const MAX_NAME_LENGTH = 64;
const COLOR = /^#[0-9a-fA-F]{3,8}$/;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface AwarenessEntry {
  client: number;
  clock: number;
  /** The cleaned state as JSON (`null` for a removal). */
  json: string;
}

export function readAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const entries: AwarenessEntry[] = [];
  try {
    const count = decoding.readVarUint(decoder);
    if (count > update.length) throw invalid(CloseReason.awarenessCountExceedsFrame);
    for (let i = 0; i < count; i += 1) {
      const client = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const json = decoding.readVarString(decoder);
      if (json.length > MAX_AWARENESS_STATE) throw invalid(CloseReason.awarenessStateTooLarge);
      entries.push({ client, clock, json: JSON.stringify(sanitize(JSON.parse(json), 0)) });
    }
  } catch (err) {
    if (err instanceof SocketCloseError) throw err;
    throw invalid(CloseReason.malformedAwareness);
  }
  return entries;
}

export function encodeAwarenessEntries(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.client);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, entry.json);
  }
  return encoding.toUint8Array(encoder);
}

function sanitize(value: unknown, depth: number): unknown {
  if (depth > 16) throw invalid(CloseReason.awarenessTooDeep);
  if (Array.isArray(value)) return value.map((item) => sanitize(item, depth + 1));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (FORBIDDEN_KEYS.has(key)) continue;
    out[key] = sanitize(item, depth + 1);
  }
  if (depth === 1 && 'name' in out)
    out.name = typeof out.name === 'string' ? out.name.slice(0, MAX_NAME_LENGTH) : String(out.name).slice(0, MAX_NAME_LENGTH);
  if (depth === 1 && 'color' in out && !(typeof out.color === 'string' && COLOR.test(out.color))) out.color = '#868e96';
  return out;
}

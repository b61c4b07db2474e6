/**
 * Imports an `.etherpad` export into an empty pad, with its history: the file is checked
 * (export-file.ts), replayed (replay.ts) and stored in one transaction; a pad that is open sees
 * the result at once. The replay gives the event loop a turn every 10 ms, so other pads stay
 * live while a long history is imported.
 */
import type { Schema } from '@tiptap/pm/model';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ApiError, type ErrorKind } from '../errors.js';
import type { Rooms } from '../sync/rooms.js';
import type { Logger } from '../sync/types.js';
import type { ImportScope } from './authors.js';
import { PadNotEmpty, type EtherpadStore } from './etherpad-store.js';
import { readEtherpadExport } from './export-file.js';
import { ImportError } from './import-error.js';
import { replayExport, type ReplaySummary } from './replay.js';

export interface ImportRequest {
  padId: string;
  /** The parsed JSON of the file. */
  json: unknown;
  scope: ImportScope;
  /** Import revisions 0..throughRevision only. */
  throughRevision?: number;
  /** The pad's old name, to lead to `padId` from then on. */
  alias?: string;
}

export type ImportSummary = { padId: string } & ReplaySummary;

export interface EtherpadImporterDeps {
  store: EtherpadStore;
  rooms: Rooms;
  schema: Schema;
  logger: Logger;
  /** Whether the pad has content already (checked before the replay, and again by the store). */
  hasContent(padId: string): Promise<boolean>;
  /** Largest encoded pad, bytes (MAX_PAD_BYTES): a bigger import could never be edited. */
  maxPadBytes: number;
  /** After a successful import (search indexing, event pages). */
  imported?(padId: string): void;
}

/** The longest the replay holds the event loop before giving it a turn, ms. */
const SLICE_MS = 10;

const STATUS_KIND: Record<ImportError['status'], ErrorKind> = {
  400: 'badRequest',
  409: 'conflict',
  413: 'payloadTooLarge',
  422: 'unprocessable',
};

export class EtherpadImporter {
  constructor(private readonly deps: EtherpadImporterDeps) {}

  /** Imports, or throws an ApiError (400, 409, 422) saying why nothing was stored. */
  async import(request: ImportRequest): Promise<ImportSummary> {
    try {
      return await this.run(request);
    } catch (err) {
      if (err instanceof ImportError) throw new ApiError(STATUS_KIND[err.status], err.message, err.code);
      if (err instanceof PadNotEmpty)
        throw new ApiError(
          'conflict',
          `Pad "${request.padId}" already has content; an .etherpad file is imported into an empty pad.`,
          'pad_not_empty',
        );
      throw err;
    }
  }

  private async run(request: ImportRequest): Promise<ImportSummary> {
    const started = performance.now();
    const file = readEtherpadExport(request.json);
    const through = request.throughRevision;
    if (through !== undefined && (through < 0 || through > file.head)) {
      throw new ImportError(400, 'bad_through_revision', `throughRevision must be between 0 and the head revision ${file.head}.`);
    }
    if (await this.deps.hasContent(request.padId)) throw new PadNotEmpty(request.padId);
    let slice = performance.now();
    const { pad, summary } = await replayExport(file, {
      padId: request.padId,
      scope: request.scope,
      schema: this.deps.schema,
      throughRevision: through,
      yieldEvery: async () => {
        if (performance.now() - slice < SLICE_MS) return;
        await nextTurn();
        slice = performance.now();
      },
    });
    if (pad.snapshot.byteLength > this.deps.maxPadBytes) {
      const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
      throw new ImportError(
        413,
        'pad_too_large',
        `The imported pad would be ${mb(pad.snapshot.byteLength)}, more than a pad may be here (${mb(this.deps.maxPadBytes)}, MAX_PAD_BYTES).`,
      );
    }
    pad.alias = request.alias ?? null;
    const replayed = performance.now();
    await this.deps.store.importPad(pad);
    await this.deps.rooms.storeWritten(request.padId, pad.updates.length);
    this.deps.imported?.(request.padId);
    this.deps.logger.info(
      {
        padId: request.padId,
        from: file.name,
        revisions: summary.revisions,
        replayMs: Math.round(replayed - started),
        totalMs: Math.round(performance.now() - started),
      },
      'imported an Etherpad pad',
    );
    return { padId: request.padId, ...summary };
  }
}

/**
 * Updates copied end to end as they are committed. Handing a large pad's tail to the snapshot
 * worker was otherwise a `Buffer.concat` of tens of thousands of small buffers, milliseconds of
 * the loop; packed as they come, it is one copy of a few chunks, and the tail holds its bytes
 * rather than the socket buffers and objects the updates arrived in.
 */
const CHUNK_BYTES = 64 * 1024;

export interface SealedUpdates {
  /** The updates end to end, in a buffer of their own (transferable). */
  bytes: Uint8Array;
  lengths: Uint32Array;
}

export class PackedUpdates {
  private readonly full: Uint8Array[] = [];
  private chunk: Uint8Array | null = null;
  private used = 0;
  private bytes = 0;
  private readonly lengths: number[] = [];

  push(update: Uint8Array): void {
    if (!this.chunk || this.used + update.length > this.chunk.length) {
      if (this.chunk) this.full.push(this.chunk.subarray(0, this.used));
      this.chunk = new Uint8Array(Math.max(CHUNK_BYTES, update.length));
      this.used = 0;
    }
    this.chunk.set(update, this.used);
    this.used += update.length;
    this.bytes += update.length;
    this.lengths.push(update.length);
  }

  get count(): number {
    return this.lengths.length;
  }

  seal(): SealedUpdates {
    const bytes = new Uint8Array(this.bytes);
    let offset = 0;
    for (const part of this.chunk ? [...this.full, this.chunk.subarray(0, this.used)] : this.full) {
      bytes.set(part, offset);
      offset += part.length;
    }
    return { bytes, lengths: Uint32Array.from(this.lengths) };
  }
}

/**
 * A small real filesystem for disk-full tests: a size-limited tmpfs mounted on a fresh folder
 * (needs root, or CAP_SYS_ADMIN). `fill()` takes every free byte with a filler file, `free()`
 * deletes it. Where mounting is not allowed, `mountSmallDisk` says why and the test skips
 * with that reason in its name.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SmallDisk {
  dir: string;
  /**
   * Writes a filler file until the filesystem refuses more (ENOSPC), then gives back
   * `leaveBytes` (a nearly full disk: small writes fit, larger ones fail). Returns the bytes kept.
   */
  fill(leaveBytes?: number): number;
  /** Deletes the filler file. */
  free(): void;
  /** Bytes free now. */
  freeBytes(): number;
  unmount(): void;
}

export type MountResult = { ok: true; disk: SmallDisk } | { ok: false; reason: string };

export function mountSmallDisk(bytes: number): MountResult {
  const dir = mkdtempSync(join(tmpdir(), 'gatherpad-small-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0755`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    const detail = err instanceof Error && 'stderr' in err ? String((err as { stderr: Buffer }).stderr).trim() : String(err);
    return { ok: false, reason: `cannot mount a small tmpfs (${detail || 'mount failed'})` };
  }
  const filler = join(dir, 'filler');
  return {
    ok: true,
    disk: {
      dir,
      fill(leaveBytes = 0) {
        const fd = openSync(filler, 'a');
        let written = 0;
        try {
          // Big chunks first, then smaller ones for the last pages.
          for (const size of [1 << 20, 64 << 10, 4 << 10, 512]) {
            const chunk = Buffer.alloc(size, 1);
            for (let i = 0; i < 100_000; i += 1) {
              try {
                written += writeSync(fd, chunk);
              } catch (err) {
                if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break;
                throw err;
              }
            }
          }
          if (leaveBytes > 0) {
            written = Math.max(0, written - leaveBytes);
            ftruncateSync(fd, written);
          }
        } finally {
          closeSync(fd);
        }
        return written;
      },
      free() {
        rmSync(filler, { force: true });
      },
      freeBytes() {
        const stats = statfsSync(dir);
        return stats.bavail * stats.bsize;
      },
      unmount() {
        try {
          execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    },
  };
}

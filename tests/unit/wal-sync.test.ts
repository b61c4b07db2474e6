import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WalSync } from '../../server/store/wal-sync.js';

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'gp-wal-')), 'x.sqlite-wal');

describe('WAL group fsync', () => {
  it('lets calls made while a sync runs share the next one', async () => {
    const path = tempFile();
    writeFileSync(path, 'frames');
    const wal = new WalSync(path);
    const first = wal.sync();
    const second = wal.sync();
    const third = wal.sync();
    // The first sync may have begun before the writes behind the later calls: they wait for one more.
    expect(second).toBe(third);
    expect(second).not.toBe(first);
    await Promise.all([first, second, third]);
    expect(wal.syncs).toBe(2);
    await wal.sync();
    expect(wal.syncs).toBe(3);
    await wal.close();
  });

  it('reports a missing file to the caller and works once the file exists', async () => {
    const path = tempFile();
    const wal = new WalSync(path);
    await expect(wal.sync()).rejects.toThrow(/ENOENT/);
    writeFileSync(path, 'frames');
    await wal.sync();
    expect(wal.syncs).toBe(1);
    await wal.close();
  });
});

/** The pad page's JavaScript loaded up front (from dist/client/pad.html), gzip-compressed size. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export function padPageJsGzip(): { files: string[]; bytes: number } {
  const dir = join(import.meta.dirname, '..', '..', 'dist', 'client');
  const html = readFileSync(join(dir, 'pad.html'), 'utf8');
  const files = Array.from(html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g), (m) => m[1]);
  const bytes = files.reduce((sum, file) => sum + gzipSync(readFileSync(join(dir, file))).length, 0);
  return { files, bytes };
}

/**
 * Builds the binding lab (lab-page.ts) into one script with Vite's own bundler, from the same
 * node_modules the product's client is built from, so a change of `@tiptap/y-tiptap` or of its
 * patch shows up here.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { build, type Rollup } from 'vite';

let bundled: Promise<string> | undefined;

async function bundleLab(): Promise<string> {
  const result = await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      lib: { entry: join(import.meta.dirname, 'lab-page.ts'), formats: ['iife'], name: 'gatherpadLab' },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rollup.RollupOutput[];
  const chunk = outputs[0].output.find((item): item is Rollup.OutputChunk => item.type === 'chunk');
  if (!chunk) throw new Error('the lab bundle has no script');
  return chunk.code;
}

/** Loads the lab into `page` (a blank page); `window.lab` is ready when this resolves. */
export async function loadLab(page: Page): Promise<void> {
  bundled ??= bundleLab();
  await page.setContent('<!doctype html><html><body></body></html>');
  await page.addScriptTag({ content: await bundled });
  await page.waitForFunction(() => typeof window.lab === 'object');
}

/**
 * Board figures: a pad whose board holds 2,000 shapes (stickies with text,
 * rectangles, ellipses, arrows bound to stickies) and 500 pen strokes (60 points each),
 * opened in Chromium (Debian's, headless, software rendering):
 * - first render: from mounting the board to the board's DOM built (`board:first-render`), and
 *   to the end of the first frame that shows it (`board:first-frame`, double rAF);
 * - pan and zoom: 240 frames each, one synthetic wheel event per frame through the board's own
 *   handlers; the frame rate both from a Chromium performance trace (CDP Tracing, the
 *   compositor's `DrawFrame` events: frames actually drawn) and from the requestAnimationFrame
 *   timestamps; plus a hand-tool pan and wheel zooming through real (CDP) input events.
 *
 *   npm run bench -- board
 */
import * as Y from 'yjs';
import { STICKY_COLORS } from '../common/board/board-doc.js';
import { BoardModel } from '../client/src/board/board-model.js';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../tests/helpers/browser.js';
import { connectProvider, synced, waitUntil } from '../tests/helpers/clients.js';
import { startServer } from '../tests/helpers/server.js';
import { ms, summarize } from './lib/stats.js';

const SHAPES = 2000;
const STROKES = 500;
const POINTS_PER_STROKE = 60;

/** A deterministic pseudo-random sequence (mulberry32), so every run draws the same board. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The whole board as one Yjs update. */
export function boardUpdate(): Uint8Array {
  const doc = new Y.Doc();
  const model = new BoardModel(doc);
  const rnd = random(9);
  const colors = Object.keys(STICKY_COLORS);
  const stickies: string[] = [];
  const words = ['retro', 'deploy', 'cinder', 'nova', 'quota', 'gate', 'review', 'docs', 'release', 'bug', 'PTG', 'owner', 'next', 'cycle'];
  const phrase = (n: number) => Array.from({ length: n }, () => words[Math.floor(rnd() * words.length)]).join(' ');
  model.transact(() => {
    for (let i = 0; i < SHAPES; i++) {
      const x = Math.round(rnd() * 8000);
      const y = Math.round(rnd() * 5000);
      const kind = i % 10;
      if (kind < 5)
        stickies.push(model.create({ type: 'sticky', x, y, w: 200, h: 200, color: colors[i % colors.length], text: phrase(4 + (i % 9)) }));
      else if (kind < 7)
        model.create({
          type: 'rect',
          x,
          y,
          w: 80 + (i % 200),
          h: 60 + (i % 120),
          color: '#1f2933',
          width: 2,
          text: i % 3 ? '' : phrase(2),
        });
      else if (kind < 9) model.create({ type: 'ellipse', x, y, w: 80 + (i % 160), h: 60 + (i % 100), color: '#1c7ed6', width: 2 });
      else {
        const from = stickies[Math.floor(rnd() * stickies.length)];
        const to = stickies[Math.floor(rnd() * stickies.length)];
        model.create({ type: 'arrow', from, to: to === from ? '' : to, x1: x, y1: y, x2: x + 100, y2: y + 50, color: '#e03131', width: 2 });
      }
    }
    for (let i = 0; i < STROKES; i++) {
      let x = rnd() * 8000;
      let y = rnd() * 5000;
      const points: number[] = [];
      for (let p = 0; p < POINTS_PER_STROKE; p++) {
        x += (rnd() - 0.4) * 12;
        y += (rnd() - 0.5) * 12;
        points.push(Math.round(x), Math.round(y));
      }
      model.create({ type: 'stroke', x: 0, y: 0, points, color: '#2f9e44', width: 4 });
    }
  });
  return Y.encodeStateAsUpdate(doc);
}

/**
 * In-page (as source text: the bench's own transpiler must not touch it): one wheel event on the
 * board per frame for 240 frames (shift-wheel pans, wheel zooms; the board's own handlers and
 * renderer do the rest), half one way and half back; resolves with the frames'
 * requestAnimationFrame timestamps.
 */
const SCRIPTED_FRAMES = `function (mode) {
  return new Promise(function (resolve) {
    var host = document.querySelector('.board-canvas');
    var box = host.getBoundingClientRect();
    var stamps = [];
    function frame(t) {
      stamps.push(t);
      if (stamps.length > 240) return resolve(stamps);
      var sign = stamps.length <= 120 ? -1 : 1;
      host.dispatchEvent(new WheelEvent('wheel', {
        bubbles: true, cancelable: true, deltaMode: 0,
        deltaY: mode === 'pan' ? sign * 9 : sign * 8, shiftKey: mode === 'pan',
        clientX: box.left + box.width / 2, clientY: box.top + box.height / 2,
      }));
      requestAnimationFrame(frame);
    }
    requestAnimationFrame(frame);
  });
}`;

/** In-page: records requestAnimationFrame timestamps until `window.__stopSampling()`, which returns them. */
const SAMPLE_FRAMES = `function () {
  var stamps = [], stop = false;
  function tick(t) { stamps.push(t); if (!stop) requestAnimationFrame(tick); }
  requestAnimationFrame(tick);
  window.__stopSampling = function () { stop = true; return stamps; };
}`;

function fps(stamps: number[]): { fps: number; worst: number; over20: number } {
  const gaps = stamps.slice(1).map((t, i) => t - stamps[i]);
  return {
    fps: (gaps.length / (stamps[stamps.length - 1] - stamps[0])) * 1000,
    worst: Math.max(...gaps),
    over20: gaps.filter((g) => g > 20).length,
  };
}

/**
 * Runs `work` under a Chromium performance trace and returns the frames the compositor drew
 * meanwhile (`DrawFrame`, as DevTools' frames track counts them): frames per second between the
 * first and the last one, the longest gap and the gaps over 20 ms.
 */
async function tracedFrames(
  browser: Browser,
  page: Page,
  work: () => Promise<unknown>,
): Promise<{ fps: number; worst: number; over20: number; frames: number }> {
  await browser.startTracing(page, { categories: ['disabled-by-default-devtools.timeline.frame'] });
  await work();
  const trace = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: { name: string; ts: number }[] };
  const stamps = trace.traceEvents
    .filter((e) => e.name === 'DrawFrame')
    .map((e) => e.ts / 1000)
    .sort((a, b) => a - b);
  if (stamps.length < 2) throw new Error('the trace holds no drawn frames');
  return { ...fps(stamps), frames: stamps.length };
}

export async function run(): Promise<string> {
  const server = await startServer({ env: { MAX_BYTES_PER_SECOND: String(64 * 1024 * 1024) } });
  const browser = await launchBrowser();
  const padId = 'bench-board';
  try {
    const update = boardUpdate();
    const progress = (what: string) => process.stderr.write(`board bench: ${what}\n`);
    progress('seeding');
    const writer = connectProvider(server.wsUrl, padId);
    await synced(writer);
    Y.applyUpdate(writer.doc, update);
    const check = connectProvider(server.wsUrl, padId);
    await synced(check);
    await waitUntil(() => check.doc.getMap('board').size === SHAPES + STROKES, 'the board on the server', 60_000);
    writer.destroy();
    check.destroy();
    progress('seeded');
    const firstRender: number[] = [];
    const firstFrame: number[] = [];
    const scripted: Record<'pan' | 'zoom', ReturnType<typeof fps>[]> = { pan: [], zoom: [] };
    const traced: Record<'pan' | 'zoom', ReturnType<typeof fps>[]> = { pan: [], zoom: [] };
    const shown: number[] = [];
    const input: Record<'pan' | 'wheel', ReturnType<typeof fps>[]> = { pan: [], wheel: [] };
    for (let runIndex = 0; runIndex < 3; runIndex++) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      await context.addInitScript(() => localStorage.setItem('gatherpad:user', JSON.stringify({ name: 'Bench', color: '#1c7ed6' })));
      const page = await context.newPage();
      await page.goto(`${server.baseUrl}/p/${padId}`);
      await page.getByTestId('connection-status').filter({ hasText: 'Live' }).waitFor({ timeout: 60_000 });
      await page.getByTestId('tab-board').click();
      await page.waitForFunction(() => performance.getEntriesByName('board:first-frame').length > 0, undefined, { timeout: 60_000 });
      const count = await page.locator('.board-shapes > g').count();
      if (count !== SHAPES + STROKES) throw new Error(`expected ${SHAPES + STROKES} shapes drawn, found ${count}`);
      shown.push(await page.locator('.board-shapes > g:not([display="none"])').count());
      const [render, frame] = await page.evaluate(() =>
        ['board:first-render', 'board:first-frame'].map((n) => performance.getEntriesByName(n)[0].duration),
      );
      firstRender.push(render);
      firstFrame.push(frame);

      for (const mode of ['pan', 'zoom'] as const) {
        let stamps: number[] = [];
        traced[mode].push(
          await tracedFrames(
            browser,
            page,
            async () => (stamps = (await page.evaluate(`(${SCRIPTED_FRAMES})(${JSON.stringify(mode)})`)) as number[]),
          ),
        );
        scripted[mode].push(fps(stamps));
      }

      // Real input: a hand-tool drag and wheel zooming, frames sampled meanwhile.
      for (const mode of ['pan', 'wheel'] as const) {
        await page.evaluate(`(${SAMPLE_FRAMES})()`);
        const before = await page.locator('.board-world').getAttribute('transform');
        if (mode === 'pan') {
          await page.keyboard.press('h');
          await page.mouse.move(700, 500);
          await page.mouse.down();
          for (let i = 0; i < 60; i++) await page.mouse.move(700 + (i % 30) * 10, 500 + (i % 30) * 4);
          await page.mouse.up();
        } else {
          await page.mouse.move(700, 500);
          for (let i = 0; i < 60; i++) await page.mouse.wheel(0, i < 30 ? -40 : 40);
        }
        const stamps = (await page.evaluate('window.__stopSampling()')) as number[];
        if ((await page.locator('.board-world').getAttribute('transform')) === before && mode === 'pan')
          throw new Error('the pan did not move the view');
        input[mode].push(fps(stamps));
      }
      await context.close();
      progress(`run ${runIndex + 1} done`);
    }
    const best = (list: ReturnType<typeof fps>[]) => list.reduce((a, b) => (b.fps < a.fps ? b : a));
    const line = (label: string, list: ReturnType<typeof fps>[]) => {
      const worst = best(list);
      return `- ${label}: ${list.map((f) => f.fps.toFixed(1)).join(' / ')} fps over 3 runs (worst run: longest frame ${ms(worst.worst)}, ${worst.over20} gaps between frames over 20 ms)`;
    };
    const r = summarize(firstRender);
    const f = summarize(firstFrame);
    return [
      `Board with ${SHAPES} shapes (1,000 stickies with text, 400 rectangles, 400 ellipses, 200 bound arrows) and ${STROKES} strokes of ${POINTS_PER_STROKE} points, ${(update.length / 1024).toFixed(0)} KiB as one Yjs update; Chromium headless (software rendering), 1400x900 viewport, 3 fresh pages:`,
      `- First render (mount to DOM built): ${firstRender.map(ms).join(' / ')} (median ${ms(r.p50)}; target < 200 ms)`,
      `- First frame (mount to the end of the first frame showing the board): ${firstFrame.map(ms).join(' / ')} (median ${ms(f.p50)})`,
      `- Shapes displayed in the fitted view (the rest culled): ${shown.join(' / ')}`,
      line('Pan (fitted view), one shift-wheel event every frame, frames drawn (trace)', traced.pan),
      line('Zoom (from the fitted view, x4.2 and back), one wheel event every frame, frames drawn (trace)', traced.zoom),
      line('Pan, the same, requestAnimationFrame', scripted.pan),
      line('Zoom, the same, requestAnimationFrame', scripted.zoom),
      `- Through real input (hand-tool drag, 60 pointer moves; wheel, 60 events; frames sampled during it, CDP-driven so input is slower than the frame rate): pan ${input.pan.map((x) => x.fps.toFixed(1)).join(' / ')} fps, wheel zoom ${input.wheel.map((x) => x.fps.toFixed(1)).join(' / ')} fps`,
    ].join('\n');
  } finally {
    await browser.close();
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${await run()}\n`);
  process.exit(0);
}

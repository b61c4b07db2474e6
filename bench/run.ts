/**
 * `npm run bench -- <scenario>`: runs one benchmark and prints its report (markdown lines,
 * ready for docs/benchmarks.md). Benchmarks are not part of `npm test`.
 */
const scenarios: Record<string, () => Promise<{ run(): Promise<string> }>> = {
  'live-pad': () => import('./live-pad.js'),
  events: () => import('./events.js'),
  board: () => import('./board.js'),
  history: () => import('./history.js'),
  'one-pad': async () => ({ run: (await import('./perf.js')).onePad }),
  'many-pads': async () => ({ run: (await import('./perf.js')).manyPads }),
  memory: async () => ({ run: (await import('./perf-more.js')).memory }),
  'cold-open': async () => ({ run: (await import('./perf-more.js')).coldOpen }),
  durability: async () => ({ run: (await import('./perf-more.js')).durability }),
  client: async () => ({ run: (await import('./perf-more.js')).client }),
  'commit-cost': () => import('./commit-cost.js'),
  'snapshot-stall': () => import('./snapshot-stall.js'),
  'history-catch-up': () => import('./history-catch-up.js'),
  'fan-out-cost': () => import('./fan-out-cost.js'),
  floods: () => import('./floods.js'),
  'connection-cpu': () => import('./connection-cpu.js'),
  overload: () => import('./overload.js'),
  'etherpad-import': () => import('./etherpad-import.js'),
};

const name = process.argv[2];
const load = name ? scenarios[name] : undefined;
if (!load) {
  process.stderr.write(`Usage: npm run bench -- <scenario>\nScenarios: ${Object.keys(scenarios).join(', ')}\n`);
  process.exit(2);
}
const report = await (await load()).run();
process.stdout.write(`${report}\n`);
process.exit(0);

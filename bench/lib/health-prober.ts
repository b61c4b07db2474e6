/**
 * `/healthz` polled from a process of its own, so that the generator's own work (masking
 * thousands of frames) does not count as the server's latency. `probeHealthApart(baseUrl)`
 * resolves once it polls (after a first, uncounted request: Node's first `fetch` loads its HTTP
 * client); `stop()` resolves with the slowest answer and the number of checks.
 * Run directly (`node --import tsx health-prober.ts <baseUrl>`), it polls until stdin closes.
 */
import { spawn } from 'node:child_process';
import { worstHealthLatency } from '../../tests/helpers/health-probe.js';

export interface ApartProbe {
  stop(): Promise<{ worstMs: number; checks: number }>;
}

export async function probeHealthApart(baseUrl: string): Promise<ApartProbe> {
  const child = spawn(process.execPath, ['--import', 'tsx', import.meta.filename, baseUrl], { stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.startsWith('ready\n')) resolve();
    });
    child.once('exit', () => reject(new Error('the health prober exited early')));
  });
  return {
    async stop() {
      child.stdin.end();
      await exited;
      return JSON.parse(output.slice('ready\n'.length)) as { worstMs: number; checks: number };
    },
  };
}

if (process.argv[1] === import.meta.filename) {
  await fetch(`${process.argv[2]}/healthz`);
  const stdinClosed = new Promise<void>((resolve) => process.stdin.on('end', () => resolve()));
  process.stdin.resume();
  const probe = worstHealthLatency(process.argv[2], stdinClosed);
  process.stdout.write('ready\n');
  const { worstMs, probes } = await probe;
  process.stdout.write(JSON.stringify({ worstMs, checks: probes }));
}

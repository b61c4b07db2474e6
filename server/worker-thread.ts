/**
 * Starts a worker thread whose body is a module next to the caller: the built `.js`, or under
 * tsx (tests, benchmarks) the `.ts` source, with the worker registering tsx itself first.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** `base` is the caller's `import.meta.url`; `name` the body's file name without extension. */
export function startWorker(base: string, name: string, options: WorkerOptions = {}): Worker {
  const source = base.endsWith('.ts');
  const url = new URL(`./${name}${source ? '.ts' : '.js'}`, base);
  return source
    ? new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`, {
        ...options,
        eval: true,
      })
    : new Worker(url, options);
}

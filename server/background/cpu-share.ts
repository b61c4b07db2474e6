/**
 * The share of its busy time this process actually ran on a CPU, over the last interval: CPU
 * time (process.cpuUsage) over the event loop's active time (eventLoopUtilization). On a
 * machine of its own it is ~1; on one shared with busier processes, wall-clock time spent on a
 * frame includes waiting for a CPU, and this share says how much. Sampled once per interval
 * (a system call each), so per-frame accounting stays a clock read.
 */
import { performance } from 'node:perf_hooks';

/** Below this the share is not trusted (a nearly idle interval says little). */
const FLOOR = 0.05;

export class CpuShare {
  private share = 1;
  private lastCpu = process.cpuUsage();
  private lastLoop = performance.eventLoopUtilization();
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = 1000) {
    this.timer = setInterval(this.sample, intervalMs);
    this.timer.unref();
  }

  /** 0.05-1; 1 until the first sample. */
  get value(): number {
    return this.share;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private readonly sample = (): void => {
    const cpu = process.cpuUsage(this.lastCpu);
    this.lastCpu = process.cpuUsage();
    const loop = performance.eventLoopUtilization(this.lastLoop);
    this.lastLoop = performance.eventLoopUtilization();
    const cpuMs = (cpu.user + cpu.system) / 1000;
    // Worker threads add CPU time the loop did not spend: never above 1. An idle interval keeps the last share.
    if (loop.active > 1) this.share = Math.min(1, Math.max(FLOOR, cpuMs / loop.active));
  };
}

/**
 * The migration's progress on stderr: on a terminal one bar redrawn in place, elsewhere (CI,
 * logs) a line per pad. Failures are always printed with their reason.
 */
import type { MigrationReport, OutcomeStatus, PadOutcome, Progress } from './migration.js';

const WIDTH = 30;

export class StderrProgress implements Progress {
  private total = 0;
  private readonly tty: boolean;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.tty = stream.isTTY === true;
  }

  start(total: number): void {
    this.total = total;
    this.stream.write(`Migrating ${total} pad${total === 1 ? '' : 's'}\n`);
  }

  padDone(outcome: PadOutcome, counts: Record<OutcomeStatus, number>): void {
    const done = counts.imported + counts.skipped + counts.failed;
    const filled = this.total === 0 ? WIDTH : Math.round((done / this.total) * WIDTH);
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${done}/${this.total}  imported ${counts.imported}, skipped ${counts.skipped}, failed ${counts.failed}`;
    const line = `${outcome.status} ${outcome.name}${outcome.padId !== outcome.name ? ` -> ${outcome.padId}` : ''}${outcome.reason ? `: ${outcome.reason}` : ''}`;
    if (this.tty) {
      if (outcome.status === 'failed') this.stream.write(`\r\x1b[K${line}\n`);
      this.stream.write(`\r\x1b[K${bar}`);
    } else {
      this.stream.write(`${bar}  ${line}\n`);
    }
  }

  finish(report: MigrationReport): void {
    if (this.tty) this.stream.write('\n');
    this.stream.write(`Done: ${report.imported.length} imported, ${report.skipped.length} skipped, ${report.failed.length} failed\n`);
  }
}

/**
 * `npm run migrate:etherpad -- --from <etherpad-url> --apikey <key> [--all | --pads a,b,c]
 * [--event <slug>]`: moves pads from a running Etherpad into a running Gatherpad (see
 * migration.ts). Gatherpad is reached at `--to` (default PUBLIC_URL, else http://HOST:PORT as
 * the server uses them) with `--admin-token` (default ADMIN_TOKEN). Exit status: 0 all pads
 * imported or skipped, 1 some failed, 2 bad arguments or an unreachable server.
 */
import { parseArgs } from 'node:util';
import { EtherpadSource } from './etherpad-source.js';
import { GatherpadTarget } from './gatherpad-target.js';
import { migrate } from './migration.js';
import { StderrProgress } from './progress.js';

const HELP = `Usage: npm run migrate:etherpad -- --from <etherpad-url> --apikey <key> (--all | --pads a,b,c) [options]

  --from <url>          the Etherpad to read (its HTTP API and /p/<pad>/export/etherpad)
  --apikey <key>        Etherpad's API key (APIKEY.txt)
  --all                 every pad listAllPads returns
  --pads <a,b,c>        these pads (Etherpad names)
  --event <slug>        attach pads named <event>-<team>... to that event's teams
  --to <url>            the Gatherpad server (default: PUBLIC_URL, else http://HOST:PORT)
  --admin-token <t>     Gatherpad's ADMIN_TOKEN (default: the ADMIN_TOKEN variable)
  --concurrency <n>     pads migrated at once (default 4)
  --state <file>        progress kept for a resumed run (default etherpad-migration-state.json)
  --report <file>       the final report, JSON (default etherpad-migration-report.json)
`;

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        from: { type: 'string' },
        apikey: { type: 'string' },
        all: { type: 'boolean' },
        pads: { type: 'string' },
        event: { type: 'string' },
        to: { type: 'string' },
        'admin-token': { type: 'string' },
        concurrency: { type: 'string' },
        state: { type: 'string' },
        report: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const fail = (message: string) => {
    process.stderr.write(`${message}\n\n${HELP}`);
    return 2;
  };
  const from = values.from as string | undefined;
  const apikey = values.apikey as string | undefined;
  if (!from || !apikey) return fail('--from and --apikey are required.');
  if (Boolean(values.all) === Boolean(values.pads)) return fail('Give either --all or --pads.');
  const adminToken = (values['admin-token'] as string | undefined) ?? env.ADMIN_TOKEN;
  if (!adminToken) return fail('Gatherpad needs its admin token: --admin-token or ADMIN_TOKEN.');
  const concurrency = Number(values.concurrency ?? 4);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) return fail('--concurrency is a whole number from 1 to 64.');
  const to = (values.to as string | undefined) ?? env.PUBLIC_URL ?? `http://${env.HOST ?? '127.0.0.1'}:${env.PORT ?? '8080'}`;
  const pads = values.all
    ? 'all'
    : (values.pads as string)
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean);
  try {
    const report = await migrate({
      source: new EtherpadSource({ url: from, apikey }),
      target: new GatherpadTarget(to, adminToken),
      from,
      pads,
      event: (values.event as string | undefined) ?? null,
      concurrency,
      statePath: (values.state as string | undefined) ?? 'etherpad-migration-state.json',
      reportPath: (values.report as string | undefined) ?? 'etherpad-migration-report.json',
      progress: new StderrProgress(),
    });
    return report.failed.length > 0 ? 1 : 0;
  } catch (err) {
    process.stderr.write(`The migration stopped: ${(err as Error).message}\n`);
    return 2;
  }
}

process.exitCode = await main(process.argv.slice(2), process.env);

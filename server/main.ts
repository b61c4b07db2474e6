/**
 * `npm start`: reads the settings, starts the server, and on SIGTERM/SIGINT commits what is
 * pending and closes cleanly.
 */
import { ConfigError, helpText, loadConfig } from './config.js';
import { createGatherpad } from './app.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.argv.slice(2), process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n\n${helpText()}`);
      process.exit(2);
    }
    throw err;
  }
  if (config.help) {
    process.stdout.write(helpText());
    return;
  }
  const app = await createGatherpad(config);
  const url = await app.listen();
  app.http.log.info({ url, dataDir: config.dataDir }, `Gatherpad is ready at ${url}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.http.log.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        app.http.log.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`Gatherpad failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});

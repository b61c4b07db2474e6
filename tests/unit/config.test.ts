import { describe, expect, it } from 'vitest';
import { ConfigError, helpText, loadConfig } from '../../server/config.js';

describe('config', () => {
  it('has the documented defaults', () => {
    const config = loadConfig([], {});
    expect(config).toMatchObject({ host: '127.0.0.1', port: 8080, dataDir: './data', databaseUrl: null, adminToken: null });
  });

  it('reads env vars and lets flags win', () => {
    const config = loadConfig(['--port', '9000', '--data-dir=/tmp/x'], { PORT: '8000', HOST: '0.0.0.0', ADMIN_TOKEN: 's3cret' });
    expect(config).toMatchObject({ port: 9000, host: '0.0.0.0', dataDir: '/tmp/x', adminToken: 's3cret' });
  });

  it.each([
    [['--port', 'abc'], {}],
    [[], { PORT: '70000' }],
    [['--nope'], {}],
    [[], { SQLITE_SYNCHRONOUS: 'OFF' }],
  ])('refuses %j %j with a readable message', (argv, env) => {
    expect(() => loadConfig(argv as string[], env)).toThrow(ConfigError);
  });

  it('documents every setting in --help', () => {
    for (const name of ['PORT', 'HOST', 'DATA_DIR', 'DATABASE_URL', 'REDIS_URL', 'ADMIN_TOKEN', 'PUBLIC_URL', 'LOG_LEVEL']) {
      expect(helpText()).toContain(name);
    }
  });
});

describe('README', () => {
  it('documents every setting in its configuration table', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { SETTINGS } = await import('../../server/config.js');
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    for (const setting of SETTINGS) expect(readme, setting.env).toContain(`| \`${setting.env}\` | \`--${setting.flag}\` |`);
  });
});

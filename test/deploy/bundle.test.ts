import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { signedEvent, slashCommand } from '../support/slack-requests';

/**
 * The bundle Lambda runs, not the sources: built with the same script and its
 * shims, loaded by plain node from a directory without node_modules, answering
 * a signed request.
 */

const ROOT = resolve(__dirname, '../..');
const SECRET = 'bundle-test-secret';
let outdir: string;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'bundle-'));
  execFileSync(
    'node',
    ['scripts/build.mjs', '--outdir', outdir, 'slack=src/handlers/slack.ts', 'poller=src/handlers/poller.ts'],
    { cwd: ROOT },
  );
});

function invoke(event: unknown): { statusCode: number; body: string } {
  const runner = join(outdir, 'invoke.cjs');
  writeFileSync(
    runner,
    `const { handler } = require('./slack.js');
     let input = '';
     process.stdin.on('data', (d) => (input += d));
     process.stdin.on('end', async () => {
       const res = await handler(JSON.parse(input), {});
       process.stdout.write(JSON.stringify({ statusCode: res.statusCode, body: res.body }));
     });`,
  );
  const config = {
    approvalChannel: 'C0APPROVALS',
    distributions: [{ alias: 'www', id: 'E2QWRUHAPOMQZL', approvers: ['U0BOB0001'], requiredApprovals: 1 }],
  };
  const result = spawnSync('node', [runner], {
    cwd: outdir,
    input: JSON.stringify(event),
    env: {
      PATH: process.env.PATH ?? '',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: 'xoxb-bundle',
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
      TABLE_NAME: 'unused',
      BOT_CONFIG: JSON.stringify(config),
    },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`bundle failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as { statusCode: number; body: string };
}

describe('dist/slack.js', () => {
  it('answers a signed slash command (form body, base64 as API Gateway sends it) with the shims in place', () => {
    const event = signedEvent(slashCommand({ text: 'help', userId: 'U0ALICE01', channelId: 'C0DEV' }), {
      secret: SECRET,
    });
    const res = invoke(event);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('www');
    expect(JSON.parse(res.body).response_type).toBe('ephemeral');
  });

  it('rejects a forged signature with 401', () => {
    const event = signedEvent(slashCommand({ text: 'help', userId: 'U0ALICE01', channelId: 'C0DEV' }), {
      secret: SECRET,
      wrongSecret: true,
    });
    expect(invoke(event).statusCode).toBe(401);
  });

  it("leaves out zod's locales: every module imports zod as a namespace, which esbuild tree-shakes", () => {
    // One `import { z } from 'zod'` anywhere bundles zod's whole namespace instead (every locale
    // and the JSON Schema code: ~370 KB, about 12 ms of each cold start). German is one of them.
    const code = readFileSync(join(outdir, 'slack.js'), 'utf8');
    expect(code.includes('Eingabe: erwartet'), "zod's German locale is in the bundle").toBe(false);
  });
});

describe('AWS credentials in the bundles', () => {
  // Lambda gives a function its role's credentials in the environment; the bundles read only
  // those (scripts/lambda-shims/credential-provider-node.mjs), not the SDK's whole default chain.
  it.each(['slack.js', 'poller.js'])('%s carries no SSO, ini-file or web-identity provider', (bundle) => {
    const code = readFileSync(join(outdir, bundle), 'utf8');
    expect(code).not.toContain('defaultProvider::fromSSO');
    expect(code).not.toContain('defaultProvider::fromIni');
    expect(code).not.toContain('defaultProvider::fromTokenFile');
  });

  it('the shim resolves the credentials Lambda sets, and fails clearly when there are none', async () => {
    const shim = await import('../../scripts/lambda-shims/credential-provider-node.mjs');
    const saved = { ...process.env };
    try {
      process.env.AWS_ACCESS_KEY_ID = 'ASIASHIMTEST';
      process.env.AWS_SECRET_ACCESS_KEY = 'secret';
      process.env.AWS_SESSION_TOKEN = 'session';
      await expect(shim.defaultProvider()()).resolves.toMatchObject({
        accessKeyId: 'ASIASHIMTEST',
        sessionToken: 'session',
      });
      delete process.env.AWS_ACCESS_KEY_ID;
      delete process.env.AWS_SECRET_ACCESS_KEY;
      await expect(shim.defaultProvider()()).rejects.toThrow(/environment variable credentials/i);
    } finally {
      process.env = saved;
    }
  });
});

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig, SIGNING_SECRET, USERS } from '../support/bot';
import { type SlackFake, startSlackFake } from '../support/slack-fake';
import { rawBodyOf, signedEvent, slashCommand } from '../support/slack-requests';

/** `npm run dev` as a newcomer runs it: a real process, an HTTP port, the embedded DynamoDB on disk. */

const ROOT = resolve(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const DEV = join(ROOT, 'src/handlers/dev.ts');

async function freePort(): Promise<number> {
  return new Promise((res) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => res(port));
    });
  });
}

function run(env: Record<string, string>, cwd: string): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(TSX, [DEV], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  });
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  return { child, output: () => output };
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('npm run dev', () => {
  it('without tokens, exits 1 and lists what is missing', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'dev-'));
    const { child, output } = run({}, cwd);
    const code = await new Promise<number | null>((res) => child.on('exit', res));
    expect(code).toBe(1);
    expect(output()).toContain('SLACK_BOT_TOKEN: is required');
    expect(output()).toContain('SLACK_SIGNING_SECRET');
    expect(output()).toContain('.env');
  });

  describe('in HTTP mode', () => {
    let slackApi: SlackFake;
    let dev: ReturnType<typeof run>;
    let port: number;
    let cwd: string;

    beforeAll(async () => {
      slackApi = await startSlackFake();
      port = await freePort();
      cwd = mkdtempSync(join(tmpdir(), 'dev-'));
      dev = run(
        {
          SLACK_SIGNING_SECRET: SIGNING_SECRET,
          SLACK_BOT_TOKEN: 'xoxb-dev',
          SLACK_API_URL: slackApi.apiUrl,
          BOT_CONFIG: JSON.stringify(defaultConfig()),
          PORT: String(port),
          DRY_RUN: 'true',
          AWS_ACCESS_KEY_ID: 'dev',
          AWS_SECRET_ACCESS_KEY: 'dev',
        },
        cwd,
      );
      await until(() => dev.output().includes('bot listening'), 20_000);
    });
    afterAll(async () => {
      dev.child.kill();
      await slackApi.close();
    });

    it('serves signed Slack requests on /slack/events with the embedded DynamoDB persisted under .data/', async () => {
      const event = signedEvent(
        slashCommand({ text: 'staging /index.html', userId: USERS.alice, channelId: 'C0DEV' }),
        {
          secret: SIGNING_SECRET,
          base64: false,
        },
      );
      const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
        method: 'POST',
        // fetch sets its own content-length; the API Gateway event carries one too.
        headers: Object.fromEntries(Object.entries(event.headers).filter(([k]) => k !== 'content-length')),
        body: rawBodyOf(event),
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { text: string };
      expect(body.text).toMatch(/dry run/i);
      const card = await slackApi.waitFor('chat.postMessage', (c) => c.args.channel === 'C0APPROVALS');
      expect(JSON.stringify(card.args.blocks)).toContain('staging');
      expect(existsSync(join(cwd, '.data/dynamodb'))).toBe(true);
    });
  });
});

import { existsSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig, SIGNING_SECRET, USERS } from '../support/bot';
import { type DevProcess, freePort, runDev as run } from '../support/dev-process';
import { type SlackFake, startSlackFake } from '../support/slack-fake';
import { rawBodyOf, signedEvent, slashCommand } from '../support/slack-requests';

/** `npm run dev` as a newcomer runs it: a real process, an HTTP port, the embedded DynamoDB on disk. */

describe('npm run dev', () => {
  it('with only part of a Slack setup, exits 1 and lists what is missing', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'dev-'));
    const dev = run({ SLACK_BOT_TOKEN: 'xoxb-half' }, cwd);
    expect(await dev.exited()).toBe(1);
    expect(dev.output()).toContain('SLACK_SIGNING_SECRET: is required unless SLACK_APP_TOKEN is set');
    expect(dev.output()).toContain('.env.example');
    expect(dev.output()).toContain('DRY_RUN=true');
    expect(dev.output()).toContain('playground');
  });

  it('in Socket Mode, fails at once with a clear message when Slack cannot be reached', async () => {
    // A closed loopback port: as with no network, the connection is refused.
    const closed = await freePort();
    const dev = run(
      {
        SLACK_BOT_TOKEN: 'xoxb-dev',
        SLACK_APP_TOKEN: 'xapp-dev',
        SLACK_API_URL: `http://127.0.0.1:${closed}/api/`,
        BOT_CONFIG: JSON.stringify(defaultConfig()),
      },
      mkdtempSync(join(tmpdir(), 'dev-')),
    );
    expect(await dev.exited()).toBe(1);
    expect(dev.output()).toContain(`Cannot reach Slack at http://127.0.0.1:${closed}/api/ (ECONNREFUSED)`);
    expect(dev.output()).toContain('Socket Mode needs an outbound connection to Slack');
    expect(dev.output()).not.toMatch(/fetch failed/);
  });

  it('on a busy port, names the port and how to pick another', async () => {
    const port = await freePort();
    const squatter: Server = await new Promise((res) => {
      const server = createServer().listen(port, () => res(server));
    });
    try {
      const dev = run({ PORT: String(port) }, mkdtempSync(join(tmpdir(), 'dev-')));
      expect(await dev.exited()).toBe(1);
      expect(dev.output()).toContain(`Port ${port} is already in use`);
      expect(dev.output()).toContain(`PORT=${port + 1} npm run dev`);
      expect(dev.output()).not.toContain('EADDRINUSE');
    } finally {
      await new Promise((res) => squatter.close(res));
    }
  });

  it('a second instance in the same checkout says which process holds .data/', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'dev-'));
    const port = await freePort();
    const first = run({ PORT: String(port) }, cwd);
    try {
      await first.waitFor('playground: open');
      const second = run({ PORT: String(await freePort()) }, cwd);
      expect(await second.exited()).toBe(1);
      // The process holding it is the first one's node (tsx runs it as a child).
      const holder = /Another `npm run dev` is using \.data\/dynamodb in this checkout: process (\d+)/.exec(
        second.output(),
      )?.[1];
      expect(holder, second.output()).toBeDefined();
      expect(second.output()).toContain(`serving http://localhost:${port}/`);
      expect(second.output()).toContain(`kill ${holder}`);
      expect(second.output()).not.toContain('Database is closed');
    } finally {
      await first.stop();
    }
    // Once the first has stopped, the folder is free again.
    const third = run({ PORT: String(await freePort()) }, cwd);
    await third.waitFor('playground: open');
    await third.stop();
  });

  describe('in HTTP mode', () => {
    let slackApi: SlackFake;
    let dev: DevProcess;
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
      await dev.waitFor('bot listening');
    });
    afterAll(async () => {
      await dev.stop();
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

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackSignature } from '../../src/dev/playground/signed-post';
import { type DevProcess, freePort, runDev } from '../support/dev-process';

/**
 * The playground signs what it sends the bot exactly as Slack does, and the bot checks it as
 * strictly as ever: the stand-in's requests are answered, a forged one is refused with 401.
 */

describe('the signature the playground puts on its requests', () => {
  it("is Slack's v0 signature (the example in Slack's verification guide)", () => {
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(slackSignature('8f742231b10e8888abcd99yyyzzz85a5', 1531420618, body)).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
  });
});

/** Polls `read` until `done` holds (the bot posts after it answers); gives up after about 10 s. */
async function eventually(read: () => Promise<string>, done: (value: string) => boolean): Promise<string> {
  let value = await read();
  for (let i = 0; i < 200 && !done(value); i++) {
    await new Promise((r) => setTimeout(r, 50));
    value = await read();
  }
  return value;
}

describe('npm run dev with the playground', () => {
  let dev: DevProcess;
  let origin: string;

  beforeAll(async () => {
    const port = await freePort();
    dev = runDev({ PORT: String(port) }, mkdtempSync(join(tmpdir(), 'playground-')));
    await dev.waitFor(`playground: open http://localhost:${port}/`);
    origin = `http://127.0.0.1:${port}`;
  });
  afterAll(() => dev.stop());

  const PAGE = { 'x-playground-page': '1' };
  const post = (path: string, body: unknown) =>
    fetch(`${origin}${path}`, { method: 'POST', body: JSON.stringify(body), headers: PAGE });
  const regionsOf = async (as: string) =>
    (await (await fetch(`${origin}/regions?as=${as}`)).json()) as { regions: Record<string, string> };

  it("gets the bot's answers to its signed requests: a command, and the type-ahead", async () => {
    expect((await post('/ui/command', { as: 'U0PGALICE', text: '/invalidate help' })).status).toBe(200);
    const deploys = await eventually(
      async () => (await regionsOf('U0PGALICE')).regions.deploys ?? '',
      (html) => html.includes('E2PLAYGROUNDWWW'),
    );
    expect(deploys).toContain('E2PLAYGROUNDWWW');
    expect(deploys).not.toContain('The bot answered HTTP');
    // Only alice sees her ephemeral answer.
    expect((await regionsOf('U0PGBOB')).regions.deploys).not.toContain('E2PLAYGROUNDWWW');

    await post('/ui/command', { as: 'U0PGALICE', text: '/invalidate' });
    const modal = (await (await fetch(`${origin}/regions?as=U0PGALICE`)).json()) as {
      modal: { html: string } | null;
    };
    const viewId = /data-view-id="([^"]+)"/.exec(modal.modal?.html ?? '')?.[1];
    expect(viewId).toBeDefined();
    const suggested = (await (
      await post('/ui/suggest', {
        as: 'U0PGALICE',
        viewId,
        actionId: 'distribution',
        blockId: 'distribution',
        value: 'stag',
      })
    ).json()) as { ok: boolean; options: Array<{ value: string }> };
    expect(suggested).toMatchObject({ ok: true });
    expect(suggested.options.map((o) => o.value)).toEqual(['staging']);
  });

  it('serves the approver group: dave approves as a member of @sre, the second of two approvals', async () => {
    await post('/ui/command', { as: 'U0PGALICE', text: '/invalidate assets /logo.png' });
    const APPROVE =
      /data-action-id="approve" data-block-id="([^"]*)" data-value="([^"]+)" data-channel="([^"]+)" data-ts="([^"]+)"/;
    // The card arrives when the bot posts it, not necessarily with the command's answer.
    const channels = await eventually(
      async () => (await regionsOf('U0PGBOB')).regions.channels ?? '',
      (html) => APPROVE.test(html),
    );
    const [, blockId, value, channel, ts] = APPROVE.exec(channels) ?? [];
    const approve = (as: string) =>
      post('/ui/click', { as, actionId: 'approve', blockId, value, text: 'Approve', channel, ts });
    await approve('U0PGBOB');
    await approve('U0PGDAVE');
    const thread = await eventually(
      async () => (await regionsOf('U0PGCAROL')).regions.channels ?? '',
      (html) => html.includes('(2 of 2)'),
    );
    expect(thread).toContain('Approved by <span class="mention">@dave</span> (2 of 2)');

    // A click that is too late is answered with chat.postEphemeral: only the clicker sees it.
    await approve('U0PGCAROL');
    const carols = await eventually(
      async () => (await regionsOf('U0PGCAROL')).regions.channels ?? '',
      (html) => html.includes('Only visible to you'),
    );
    expect(carols).toContain('Only visible to you');
    expect((await regionsOf('U0PGBOB')).regions.channels).not.toContain('Only visible to you');
  });

  it('does not weaken the bot: a request signed with another secret, or not signed, is refused with 401', async () => {
    const body = new URLSearchParams({
      command: '/invalidate',
      text: 'help',
      user_id: 'U0PGALICE',
      channel_id: 'C0PGDEPLOYS',
      trigger_id: '1.2.3',
    }).toString();
    const timestamp = Math.floor(Date.now() / 1000);
    const forged = await fetch(`${origin}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': slackSignature('not-the-playground-secret', timestamp, body),
      },
      body,
    });
    expect(forged.status).toBe(401);
    const unsigned = await fetch(`${origin}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    expect(unsigned.status).toBe(401);
  });

  it('keeps an uploaded file for the bot: files.info describes it, its url_private needs the bot token', async () => {
    const uploaded = (await (
      await fetch(`${origin}/ui/upload?as=U0PGALICE&name=paths.txt`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', ...PAGE },
        body: '/index.html\n/css/*\n',
      })
    ).json()) as { id: string };
    const api = (method: string, args: object) =>
      fetch(`${origin}/api/${method}`, {
        method: 'POST',
        headers: {
          authorization: 'Bearer xoxb-playground-local',
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams(args as Record<string, string>).toString(),
      }).then(
        (r) =>
          r.json() as Promise<{ ok: boolean; file?: { name: string; url_private: string; size: number } }>,
      );
    const info = await api('files.info', { file: uploaded.id });
    expect(info).toMatchObject({ ok: true, file: { name: 'paths.txt', size: 19 } });
    const url = info.file?.url_private ?? '';
    expect((await fetch(url)).status).toBe(403);
    const download = await fetch(url, { headers: { authorization: 'Bearer xoxb-playground-local' } });
    expect(await download.text()).toBe('/index.html\n/css/*\n');
    expect(await api('files.info', { file: 'F0NOPE' })).toEqual({ ok: false, error: 'file_not_found' });
  });

  it("takes actions only from its own page, and only as this machine's localhost", async () => {
    const command = JSON.stringify({ as: 'U0PGALICE', text: '/invalidate help' });
    // A form or script on another site cannot add the page's header without a CORS preflight.
    const crossSite = await fetch(`${origin}/ui/command`, { method: 'POST', body: command });
    expect(crossSite.status).toBe(403);
    expect(await crossSite.text()).toContain('x-playground-page');
    // DNS rebinding: the same loopback address reached under another name.
    const { request } = await import('node:http');
    const rebound = await new Promise<number>((res, rej) => {
      const req = request(`${origin}/`, { headers: { host: 'evil.example:80' } }, (r) =>
        res(r.statusCode ?? 0),
      );
      req.on('error', rej);
      req.end();
    });
    expect(rebound).toBe(403);
  });

  it('answers the Web API only to the bot token, as Slack does', async () => {
    const res = await fetch(`${origin}/api/chat.postMessage`, {
      method: 'POST',
      headers: { authorization: 'Bearer xoxb-someone-else', 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'C0PGAPPROVALS', text: 'hello' }),
    });
    expect(await res.json()).toEqual({ ok: false, error: 'invalid_auth' });
  });
});

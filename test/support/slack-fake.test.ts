import { App, ExpressReceiver, LogLevel, verifySlackRequest } from '@slack/bolt';
import { ErrorCode, WebClient } from '@slack/web-api';
import serverless from 'serverless-http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dmChannelId, FAKE_WORKSPACE, type SlackFake, startSlackFake } from './slack-fake';
import {
  type ApiGatewayV2Event,
  appHomeOpened,
  blockAction,
  blockSuggestion,
  rawBodyOf,
  STALE_AGE_SECONDS,
  signedEvent,
  slashCommand,
  urlVerification,
  viewSubmission,
} from './slack-requests';

const TOKEN = 'xoxb-test-token';
const SECRET = 'test-signing-secret';

let fake: SlackFake;
let client: WebClient;

beforeAll(async () => {
  fake = await startSlackFake();
  client = new WebClient(TOKEN, { slackApiUrl: fake.apiUrl, logLevel: LogLevel.ERROR });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.clear();
});

const card = [
  { type: 'section', text: { type: 'mrkdwn', text: '*Invalidate* `/index.html` [dry run]' } },
  {
    type: 'actions',
    block_id: 'request_actions',
    elements: [
      {
        type: 'button',
        action_id: 'approve',
        value: '01HREQ',
        text: { type: 'plain_text', text: 'Approve' },
      },
    ],
  },
];

describe('Slack fake, driven by a real WebClient', () => {
  it('records chat.postMessage with its blocks decoded back to objects and the bearer token', async () => {
    const result = await client.chat.postMessage({
      channel: 'C0APPROVALS',
      text: '[dry run] request',
      blocks: card,
    });

    const call = fake.last('chat.postMessage');
    expect(call?.args.blocks).toEqual(card);
    expect(call?.args.text).toBe('[dry run] request');
    expect(call?.token).toBe(TOKEN);
    expect(result.ok).toBe(true);
    expect(result.channel).toBe('C0APPROVALS');
    expect(result.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(call?.response.ts).toBe(result.ts);
  });

  it('gives each message a new, increasing ts and records thread replies by thread_ts', async () => {
    const parent = await client.chat.postMessage({ channel: 'C0APPROVALS', text: 'card' });
    const reply = await client.chat.postMessage({
      channel: 'C0APPROVALS',
      text: 'approved',
      thread_ts: parent.ts,
    });
    await client.chat.postMessage({ channel: 'C0OTHER', text: 'unrelated' });

    expect(Number(reply.ts)).toBeGreaterThan(Number(parent.ts));
    const replies = fake.calls('chat.postMessage').filter((call) => call.args.thread_ts === parent.ts);
    expect(replies.map((call) => call.args.text)).toEqual(['approved']);
  });

  it('answers the other methods the bot uses the way Slack does', async () => {
    const posted = await client.chat.postMessage({ channel: 'C0APPROVALS', text: 'card' });
    const updated = await client.chat.update({
      channel: 'C0APPROVALS',
      ts: posted.ts ?? '',
      text: 'approved',
    });
    const ephemeral = await client.chat.postEphemeral({ channel: 'C0APPROVALS', user: 'U01BOB', text: 'no' });
    const permalink = await client.chat.getPermalink({ channel: 'C0APPROVALS', message_ts: posted.ts ?? '' });
    const dm = await client.conversations.open({ users: 'U01ALICE' });
    const again = await client.conversations.open({ users: 'U01ALICE' });
    const toUser = await client.chat.postMessage({ channel: 'U01ALICE', text: 'done' });
    const auth = await client.auth.test();
    const info = await client.users.info({ user: 'U01ALICE' });

    expect(updated.ts).toBe(posted.ts);
    expect(ephemeral.message_ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(permalink.permalink).toBe(
      `https://example.slack.com/archives/C0APPROVALS/p${(posted.ts ?? '').replace('.', '')}`,
    );
    expect(dm.channel?.id).toBe(dmChannelId('U01ALICE'));
    expect(again.channel?.id).toBe(dm.channel?.id);
    expect(toUser.channel).toBe(dmChannelId('U01ALICE'));
    expect(auth).toMatchObject({ user_id: FAKE_WORKSPACE.botUserId, team_id: FAKE_WORKSPACE.teamId });
    expect(info.user?.id).toBe('U01ALICE');
    expect(fake.calls().map((call) => call.method)).toEqual([
      'chat.postMessage',
      'chat.update',
      'chat.postEphemeral',
      'chat.getPermalink',
      'conversations.open',
      'conversations.open',
      'chat.postMessage',
      'auth.test',
      'users.info',
    ]);
  });

  it('opens, updates and publishes views with view ids, decoding the view argument', async () => {
    const modal = {
      type: 'modal' as const,
      callback_id: 'invalidate_request',
      title: { type: 'plain_text' as const, text: 'Invalidate' },
      blocks: [],
    };
    const opened = await client.views.open({ trigger_id: '123.456.abc', view: modal });
    const updated = await client.views.update({ view_id: opened.view?.id ?? '', view: modal });
    const home = await client.views.publish({ user_id: 'U01ALICE', view: { type: 'home', blocks: [] } });
    const homeAgain = await client.views.publish({ user_id: 'U01ALICE', view: { type: 'home', blocks: [] } });

    expect(opened.view?.id).toMatch(/^V/);
    expect(opened.view?.callback_id).toBe('invalidate_request');
    expect(updated.view?.id).toBe(opened.view?.id);
    expect(homeAgain.view?.id).toBe(home.view?.id);
    expect(fake.last('views.open')?.args.view).toEqual(modal);
  });

  it('answers usergroups.users.list from the configured groups', async () => {
    fake.setUserGroup('S01SRE', ['U01ALICE', 'U01BOB']);

    const group = await client.usergroups.users.list({ usergroup: 'S01SRE' });
    expect(group.users).toEqual(['U01ALICE', 'U01BOB']);
    await expect(client.usergroups.users.list({ usergroup: 'S0NOPE' })).rejects.toMatchObject({
      code: ErrorCode.PlatformError,
      data: { error: 'no_such_subteam' },
    });
  });

  it('surfaces an injected ratelimit with retryAfter when the client rejects ratelimited calls', async () => {
    const strict = new WebClient(TOKEN, {
      slackApiUrl: fake.apiUrl,
      rejectRateLimitedCalls: true,
      logLevel: LogLevel.ERROR,
    });
    fake.fail('chat.postMessage', { error: 'ratelimited', status: 429, retryAfterSec: 7, times: 1 });

    await expect(strict.chat.postMessage({ channel: 'C0APPROVALS', text: 'x' })).rejects.toMatchObject({
      code: ErrorCode.RateLimitedError,
      retryAfter: 7,
    });
    expect(fake.last('chat.postMessage')).toMatchObject({ status: 429, error: 'ratelimited' });
    // The fault was for one call only.
    await expect(strict.chat.postMessage({ channel: 'C0APPROVALS', text: 'x' })).resolves.toMatchObject({
      ok: true,
    });
  });

  it('lets a default client wait out Retry-After and retry, as the comment in slack-fake.ts says', async () => {
    fake.fail('chat.postMessage', { error: 'ratelimited', retryAfterSec: 1 });
    const started = Date.now();

    const result = await client.chat.postMessage({ channel: 'C0APPROVALS', text: 'x' });

    expect(result.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(fake.calls('chat.postMessage').map((call) => call.error ?? 'ok')).toEqual(['ratelimited', 'ok']);
  });

  it.each(['channel_not_found', 'not_in_channel', 'invalid_auth'])(
    'reports %s as HTTP 200 ok:false, which the client raises as a platform error',
    async (error) => {
      fake.fail('chat.postMessage', { error });

      await expect(client.chat.postMessage({ channel: 'C0APPROVALS', text: 'x' })).rejects.toMatchObject({
        code: ErrorCode.PlatformError,
        data: { error },
      });
      expect(fake.last('chat.postMessage')).toMatchObject({ status: 200, error });
    },
  );

  it('rejects calls without a token, as Slack does', async () => {
    const anonymous = new WebClient(undefined, { slackApiUrl: fake.apiUrl, logLevel: LogLevel.ERROR });
    await expect(anonymous.chat.postMessage({ channel: 'C0APPROVALS', text: 'x' })).rejects.toMatchObject({
      data: { error: 'not_authed' },
    });
  });

  it('also accepts JSON bodies', async () => {
    const response = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ channel: 'C0APPROVALS', text: 'json', blocks: card }),
    });

    expect(await response.json()).toMatchObject({ ok: true, channel: 'C0APPROVALS' });
    expect(fake.last('chat.postMessage')).toMatchObject({
      token: TOKEN,
      args: { text: 'json', blocks: card },
    });
  });

  it('waitFor resolves on a call made later and times out naming what it saw', async () => {
    const waiting = fake.waitFor('chat.postMessage', (call) => call.args.thread_ts === '1.2', 2_000);
    await client.chat.postMessage({ channel: 'C0APPROVALS', text: 'not this one' });
    await client.chat.postMessage({ channel: 'C0APPROVALS', text: 'this one', thread_ts: '1.2' });

    expect((await waiting).args.text).toBe('this one');
    await expect(fake.waitFor('chat.update', undefined, 50)).rejects.toThrow(
      /chat\.update.*chat\.postMessage/,
    );
  });

  it('records what is posted to a response_url', async () => {
    const waiting = fake.waitForResponse('cmd-1');
    const response = await fetch(fake.responseUrl('cmd-1'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', text: 'Unknown distribution' }),
    });

    expect(response.status).toBe(200);
    expect((await waiting).body).toEqual({ response_type: 'ephemeral', text: 'Unknown distribution' });
    expect(fake.responses('other')).toEqual([]);
  });
});

function verify(event: ApiGatewayV2Event, secret = SECRET): void {
  verifySlackRequest({
    signingSecret: secret,
    body: rawBodyOf(event),
    headers: {
      'x-slack-signature': event.headers['x-slack-signature'] ?? '',
      'x-slack-request-timestamp': Number(event.headers['x-slack-request-timestamp']),
    },
  });
}

function payloadOf(event: ApiGatewayV2Event): Record<string, unknown> {
  return JSON.parse(new URLSearchParams(rawBodyOf(event)).get('payload') ?? 'null');
}

describe('signed requests shaped as API Gateway HTTP API v2 events', () => {
  const bodies = {
    slashCommand: slashCommand({ text: 'www /index.html', userId: 'U01ALICE', channelId: 'C0WWW' }),
    viewSubmission: viewSubmission({ userId: 'U01ALICE', values: { distribution: 'www', paths: '/a\n/b' } }),
    blockAction: blockAction({
      userId: 'U01BOB',
      actionId: 'approve',
      value: '01HREQ',
      channelId: 'C0APPROVALS',
      messageTs: '1700000000.000100',
    }),
    blockSuggestion: blockSuggestion({ userId: 'U01ALICE', value: 'ww' }),
    appHomeOpened: appHomeOpened({ userId: 'U01ALICE' }),
    urlVerification: urlVerification('challenge-1'),
  };

  it.each(Object.entries(bodies))('%s verifies with Bolt’s verifySlackRequest', (_name, body) => {
    const event = signedEvent(body, { secret: SECRET });

    expect(() => verify(event)).not.toThrow();
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /slack/events',
      rawPath: '/slack/events',
      rawQueryString: '',
      requestContext: { http: { method: 'POST', path: '/slack/events' }, stage: '$default' },
      headers: { 'content-type': body.contentType },
    });
    expect(rawBodyOf(event)).toBe(body.rawBody);
  });

  it('base64-encodes form bodies as HTTP API does, and leaves JSON as text', () => {
    const form = signedEvent(bodies.slashCommand, { secret: SECRET });
    const json = signedEvent(bodies.appHomeOpened, { secret: SECRET });
    const plainForm = signedEvent(bodies.slashCommand, { secret: SECRET, base64: false });

    expect(form.isBase64Encoded).toBe(true);
    expect(Buffer.from(form.body, 'base64').toString()).toBe(bodies.slashCommand.rawBody);
    expect(json).toMatchObject({ isBase64Encoded: false, body: bodies.appHomeOpened.rawBody });
    expect(plainForm).toMatchObject({ isBase64Encoded: false, body: bodies.slashCommand.rawBody });
  });

  it.each([
    ['a stale timestamp', { ageSeconds: STALE_AGE_SECONDS }, /stale/],
    ['a wrong secret', { wrongSecret: true }, /signature mismatch/],
  ])('fails verification with %s', (_name, options, message) => {
    const event = signedEvent(bodies.slashCommand, { secret: SECRET, ...options });
    expect(() => verify(event)).toThrow(message);
  });

  it('adds Slack’s retry headers when asked', () => {
    const event = signedEvent(bodies.appHomeOpened, {
      secret: SECRET,
      retryNum: 1,
      retryReason: 'http_timeout',
    });
    expect(event.headers).toMatchObject({ 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
  });

  it('shapes view_submission state like Slack: selected_option for the select, value for text inputs', () => {
    const payload = payloadOf(signedEvent(bodies.viewSubmission, { secret: SECRET }));
    expect(payload).toMatchObject({
      type: 'view_submission',
      user: { id: 'U01ALICE' },
      view: {
        callback_id: 'invalidate_request',
        state: {
          values: {
            distribution: {
              distribution: { type: 'external_select', selected_option: { value: 'www' } },
            },
            paths: { paths: { type: 'plain_text_input', value: '/a\n/b' } },
            reason: { reason: { type: 'plain_text_input', value: null } },
          },
        },
      },
    });
  });
});

describe('a Bolt 5.1 app behind serverless-http, talking to the fake', () => {
  const receiver = new ExpressReceiver({
    signingSecret: SECRET,
    processBeforeResponse: true,
    logLevel: LogLevel.ERROR,
  });
  let handler: (event: ApiGatewayV2Event) => Promise<{ statusCode?: number; body?: string }>;

  beforeAll(() => {
    const app = new App({
      token: TOKEN,
      receiver,
      tokenVerificationEnabled: false,
      logLevel: LogLevel.ERROR,
      // This is how the real handler points Bolt's WebClient at SLACK_API_URL.
      clientOptions: { slackApiUrl: fake.apiUrl },
    });
    app.command('/invalidate', async ({ ack, client: boltClient, command }) => {
      await ack();
      await boltClient.chat.postMessage({ channel: command.channel_id, text: `got ${command.text}` });
    });
    app.action('approve', async ({ ack, respond, body }) => {
      await ack();
      await respond({ text: `approved by ${body.user.id}` });
    });
    const wrapped = serverless(receiver.app);
    handler = async (event) => (await wrapped(event, {})) as { statusCode?: number; body?: string };
  });

  it('routes a signed slash command, and the listener’s client posts to the fake', async () => {
    const response = await handler(
      signedEvent(slashCommand({ text: 'www /index.html', userId: 'U01ALICE', channelId: 'C0WWW' }), {
        secret: SECRET,
      }),
    );

    expect(response.statusCode).toBe(200);
    const call = await fake.waitFor('chat.postMessage');
    expect(call).toMatchObject({ token: TOKEN, args: { channel: 'C0WWW', text: 'got www /index.html' } });
  });

  it('gives respond() the payload’s loopback response_url', async () => {
    const event = signedEvent(
      blockAction({
        userId: 'U01BOB',
        actionId: 'approve',
        value: '01HREQ',
        channelId: 'C0APPROVALS',
        messageTs: '1700000000.000100',
        responseUrl: fake.responseUrl('card'),
      }),
      { secret: SECRET },
    );

    expect((await handler(event)).statusCode).toBe(200);
    expect((await fake.waitForResponse('card')).body).toMatchObject({ text: 'approved by U01BOB' });
  });

  it('turns away a stale or forged request with 401 and calls nothing', async () => {
    const body = slashCommand({ text: 'www /x', userId: 'U01ALICE', channelId: 'C0WWW' });

    expect(
      (await handler(signedEvent(body, { secret: SECRET, ageSeconds: STALE_AGE_SECONDS }))).statusCode,
    ).toBe(401);
    expect((await handler(signedEvent(body, { secret: SECRET, wrongSecret: true }))).statusCode).toBe(401);
    expect(fake.calls()).toEqual([]);
  });
});

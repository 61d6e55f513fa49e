import { describe, expect, it } from 'vitest';
import { storeOf, submitModal, USERS } from '../support/bot';
import {
  appHomeOpened,
  blockAction,
  blockSuggestion,
  type SignedEventOptions,
  type SlackBody,
  STALE_AGE_SECONDS,
  slashCommand,
  urlVerification,
  viewSubmission,
} from '../support/slack-requests';
import { useBot } from '../support/use-bots';

/** Requests not signed by Slack, or replayed too late, are refused before anything happens. */

const bot = useBot();

const forgeries: [string, Partial<SignedEventOptions>][] = [
  ['signed with the wrong secret', { wrongSecret: true }],
  ['with a stale timestamp', { ageSeconds: STALE_AGE_SECONDS }],
  ['without a signature', { headers: { 'x-slack-signature': '' } }],
];

const payloads: [string, () => SlackBody][] = [
  [
    'a modal submission',
    () => viewSubmission({ userId: USERS.alice, values: { distribution: 'staging', paths: '/a' } }),
  ],
  [
    'a quick-form command',
    () => slashCommand({ text: 'staging /a', userId: USERS.alice, channelId: 'C0DEVCHAN' }),
  ],
  [
    'a command opening the modal',
    () => slashCommand({ text: '', userId: USERS.alice, channelId: 'C0DEVCHAN' }),
  ],
  ['an options load', () => blockSuggestion({ userId: USERS.alice, value: '' })],
  ['an App Home event', () => appHomeOpened({ userId: USERS.alice })],
];

describe.each(forgeries)('a request %s', (_name, forgery) => {
  it.each(payloads)('is refused with 401 for %s, with no side effects', async (_kind, payload) => {
    const res = await bot.send(payload(), forgery);

    expect(res.statusCode).toBe(401);
    expect(res.body).not.toContain('options');
    expect(bot.slackApi.calls()).toEqual([]);
    expect(bot.cloudfront.state.calls).toEqual([]);
    expect(await storeOf(bot).listByRequester(USERS.alice)).toEqual([]);
  });
});

describe('Slack’s URL verification', () => {
  it('answers the challenge when signed, and refuses it when not', async () => {
    const genuine = await bot.send(urlVerification('challenge-123'));
    const forged = await bot.send(urlVerification('challenge-456'), { wrongSecret: true });

    expect(genuine.statusCode).toBe(200);
    expect(genuine.body).toContain('challenge-123');
    expect(forged.statusCode).toBe(401);
    expect(forged.body).not.toContain('challenge-456');
  });
});

describe('a forged approval', () => {
  it('is refused and leaves the request untouched', async () => {
    const { request } = await submitModal(bot, { userId: USERS.alice, alias: 'www', paths: '/a' });
    if (!request?.cardTs) throw new Error('no request with a card');
    bot.slackApi.clear();

    const click = (userId: string) =>
      blockAction({
        userId,
        actionId: 'approve',
        value: request.id,
        channelId: request.channel,
        messageTs: request.cardTs ?? '',
      });
    const responses = await Promise.all([
      bot.send(click(USERS.bob), { wrongSecret: true }),
      bot.send(click(USERS.carol), { ageSeconds: STALE_AGE_SECONDS }),
    ]);

    expect(responses.map((r) => r.statusCode)).toEqual([401, 401]);
    expect(bot.slackApi.calls()).toEqual([]);
    expect(bot.cloudfront.state.calls).toEqual([]);
    const stored = await storeOf(bot).get(request.id);
    expect(stored).toMatchObject({ status: 'PENDING', version: request.version, approvals: [] });
    expect(await storeOf(bot).listEvents(request.id)).toHaveLength(1);
  });

  it('is accepted once genuinely signed (the refusal above is the signature, not the payload)', async () => {
    const { request } = await submitModal(bot, { userId: USERS.alice, alias: 'www', paths: '/a' });
    if (!request?.cardTs) throw new Error('no request with a card');

    const res = await bot.send(
      blockAction({
        userId: USERS.bob,
        actionId: 'approve',
        value: request.id,
        channelId: request.channel,
        messageTs: request.cardTs,
      }),
    );

    expect(res.statusCode).toBe(200);
    expect((await storeOf(bot).get(request.id))?.approvals.map((a) => a.userId)).toEqual([USERS.bob]);
  });
});

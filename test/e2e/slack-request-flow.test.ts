import { describe, expect, it } from 'vitest';
import type { InvalidationRequest } from '../../src/domain/request';
import {
  APPROVAL_CHANNEL,
  buttonsOf,
  cardPost,
  click,
  inlineErrors,
  type ModalRequest,
  STAGING_ID,
  storeOf,
  submitModal,
  textOf,
  threadReplies,
  threadTexts,
  USERS,
  WWW_ID,
} from '../support/bot';
import { expectApprovalCard } from '../support/slack-expect';
import { dmChannelId } from '../support/slack-fake';
import { appHomeOpened, blockSuggestion, slashCommand } from '../support/slack-requests';
import { useBot } from '../support/use-bots';

/**
 * The modal flow through the real Slack Lambda handler: open the form, load
 * its options, submit it, approve it, and see the invalidation sent once.
 */

const bot = useBot();

/** Submits the modal expecting it taken: an empty 200, which closes the modal. Returns the request it stored. */
async function acceptedModal(input: ModalRequest): Promise<InvalidationRequest> {
  const { response, request } = await submitModal(bot, input);
  expect(response.statusCode).toBe(200);
  expect(response.body).toBe('');
  if (!request) throw new Error('no request stored');
  return request;
}

async function optionValues(userId: string, query: string): Promise<string[]> {
  const res = await bot.send(blockSuggestion({ userId, value: query }));
  expect(res.statusCode).toBe(200);
  const body = JSON.parse(res.body) as { options: { value: string }[] };
  return body.options.map((o) => o.value);
}

describe('the happy path: modal, card, two approvals, one invalidation', () => {
  it('opens the modal with the trigger id of the command', async () => {
    const res = await bot.send(
      slashCommand({ text: '', userId: USERS.alice, channelId: 'C0DEVCHAN', triggerId: '123.456.abc' }),
    );

    expect(res.statusCode).toBe(200);
    // The modal is the answer: no ephemeral text in the command's response.
    expect(res.body).toBe('');
    const [open, ...more] = bot.slackApi.calls('views.open');
    expect(more).toEqual([]);
    expect(open?.args.trigger_id).toBe('123.456.abc');
    const view = open?.args.view as { callback_id: string; blocks: { block_id?: string }[] };
    expect(view.callback_id).toBe('invalidate_request');
    expect(view.blocks.map((b) => b.block_id).filter(Boolean)).toEqual([
      'distribution',
      'paths',
      'paths_file',
      'reason',
    ]);
  });

  it('preselects a known alias given with the command, and says an unknown one is unknown', async () => {
    await bot.send(slashCommand({ text: 'www', userId: USERS.alice, channelId: 'C0DEVCHAN' }));
    const res = await bot.send(slashCommand({ text: 'wwv', userId: USERS.bob, channelId: 'C0DEVCHAN' }));

    const [known, ...more] = bot.slackApi.calls('views.open').map((c) => JSON.stringify(c.args.view));
    expect(known).toContain('"initial_option":{"text":{"type":"plain_text","text":"www"},"value":"www"}');
    // No blank form for an unknown alias: an answer naming it, a guess, and the ones bob may use.
    expect(more).toEqual([]);
    const body = JSON.parse(res.body) as { response_type: string; text: string };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toBe(
      ':warning: No distribution `wwv`. Did you mean `www`? Yours to use: `www`, `staging`.',
    );
  });

  it('tells the person when the modal cannot be opened', async () => {
    bot.slackApi.fail('views.open', { error: 'expired_trigger_id' });

    const res = await bot.send(slashCommand({ text: '', userId: USERS.alice, channelId: 'C0DEVCHAN' }));

    expect(res.statusCode).toBe(200);
    const body = JSON.parse(res.body) as { response_type: string; text: string };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toMatch(/could not open the form/);
  });

  it('loads the distributions this person may request, filtered by what they type', async () => {
    // `self` lists alice as its only requester.
    expect(await optionValues(USERS.alice, '')).toEqual(['self', 'staging', 'www']);
    expect(await optionValues(USERS.bob, '')).toEqual(['staging', 'www']);
    expect(await optionValues(USERS.alice, 'ww')).toEqual(['www']);
    // By id and by description too.
    expect(await optionValues(USERS.alice, STAGING_ID.toLowerCase())).toEqual(['staging']);
    expect(await optionValues(USERS.alice, 'public')).toEqual(['www']);
    expect(await optionValues(USERS.alice, 'nothing-matches')).toEqual([]);
  });

  it('submits, posts the card, approves twice and sends exactly one invalidation', async () => {
    const request = await acceptedModal({
      userId: USERS.alice,
      alias: 'www',
      paths: '/index.html\nhttps://example.com/img/a.png?x=1\n\n/index.html\n/css/*',
      reason: 'new release',
    });

    expect(request).toMatchObject({
      status: 'PENDING',
      distributionAlias: 'www',
      distributionId: WWW_ID,
      requesterId: USERS.alice,
      reason: 'new release',
      paths: ['/index.html', '/img/a.png', '/css/*'],
      wildcardCount: 1,
      channel: APPROVAL_CHANNEL,
    });

    const card = expectApprovalCard(bot, request);
    const cardTs = String(card?.response.ts);

    // The requester hears back by DM, with the request id.
    const dms = bot.slackApi.calls('chat.postMessage').filter((c) => c.args.channel === USERS.alice);
    expect(dms).toHaveLength(1);
    expect(dms[0]?.response.channel).toBe(dmChannelId(USERS.alice));
    expect(textOf(dms[0]?.args ?? {})).toContain(request.id);

    bot.slackApi.clear();
    const bob = await click(bot, USERS.bob, 'approve', request);
    expect(bob.statusCode).toBe(200);
    const [first] = threadReplies(bot, APPROVAL_CHANNEL, cardTs);
    expect(first?.args.text).toMatch(/Approved by <@U0BOB0001> \(1 of 2\)/);
    const firstUpdate = bot.slackApi.last('chat.update');
    expect(firstUpdate?.args).toMatchObject({ channel: APPROVAL_CHANNEL, ts: cardTs });
    expect(buttonsOf(firstUpdate?.args.blocks)).toHaveProperty('approve', request.id);
    expect(textOf(firstUpdate?.args ?? {})).toContain('1 of 2, 1 more needed: <@U0BOB0001>');
    expect(bot.cloudfront.state.calls).toEqual([]);

    bot.slackApi.clear();
    const carol = await click(bot, USERS.carol, 'approve', request);
    expect(carol.statusCode).toBe(200);

    const creates = bot.cloudfront.state.calls.filter((c) => c.operation === 'CreateInvalidation');
    expect(creates).toHaveLength(1);
    expect(creates[0]).toMatchObject({
      distributionId: WWW_ID,
      callerReference: request.id,
      paths: ['/index.html', '/img/a.png', '/css/*'],
      status: 201,
    });
    const invalidationId = String(creates[0]?.invalidationId);

    const replies = threadTexts(bot, APPROVAL_CHANNEL, cardTs);
    expect(replies.some((t) => /Approved by <@U0CAROL01> \(2 of 2\)/.test(t))).toBe(true);
    expect(replies.some((t) => t.includes(invalidationId))).toBe(true);
    const lastUpdate = bot.slackApi.last('chat.update');
    expect(lastUpdate?.args.ts).toBe(cardTs);
    expect(buttonsOf(lastUpdate?.args.blocks)).toEqual({});

    const stored = await storeOf(bot).get(request.id);
    expect(stored).toMatchObject({ status: 'SUBMITTED', invalidationId, outbox: [] });
    expect(stored?.approvals.map((a) => a.userId)).toEqual([USERS.bob, USERS.carol]);
  });
});

describe('dry run', () => {
  // A bot of its own; the file's default one, idle here, is stopped with it.
  const dryRunBot = useBot({ env: { DRY_RUN: 'true' } });

  it('runs the whole flow without sending anything to CloudFront, and says so', async () => {
    const { request } = await submitModal(dryRunBot, { userId: USERS.bob, alias: 'staging', paths: '/a' });

    expect(request?.dryRun).toBe(true);
    expect(dryRunBot.cloudfront.state.calls).toEqual([]);
    const stored = await storeOf(dryRunBot).get(String(request?.id));
    expect(stored?.status).toBe('SUBMITTED');
    const channelPosts = dryRunBot.slackApi
      .calls('chat.postMessage')
      .filter((c) => c.args.channel === APPROVAL_CHANNEL);
    expect(channelPosts.length).toBeGreaterThan(0);
    for (const post of channelPosts) expect(textOf(post.args)).toMatch(/dry run/i);
  });
});

describe('inline validation in the modal', () => {
  /**
   * Submits the modal expecting it refused on its fields: a 200 answering `response_action:
   * errors`, nothing stored and nothing posted. Returns the errors by block id.
   */
  async function refusedInline(input: ModalRequest): Promise<Record<string, string>> {
    const { response, request } = await submitModal(bot, input);
    expect(response.statusCode).toBe(200);
    const body = inlineErrors(response);
    expect(body.response_action).toBe('errors');
    expect(request).toBeUndefined();
    expect(bot.slackApi.calls('chat.postMessage')).toEqual([]);
    return body.errors;
  }

  it('names the bad lines under the paths field and stores nothing', async () => {
    const errors = await refusedInline({
      userId: USERS.alice,
      alias: 'www',
      paths: '/ok.html\n/a/*/b\nindex.html',
    });

    expect(Object.keys(errors)).toEqual(['paths']);
    expect(errors.paths).toMatch(/line 2: "\/a\/\*\/b": \* is only allowed as the last character/);
    expect(errors.paths).toMatch(/line 3: "index.html": must start with \//);
    expect(errors.paths).not.toMatch(/line 1/);
  });

  it('asks for a distribution when none is picked', async () => {
    const { response, request } = await submitModal(bot, { userId: USERS.alice, paths: '/index.html' });

    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({
      response_action: 'errors',
      errors: { distribution: expect.stringMatching(/pick a distribution/i) },
    });
    expect(request).toBeUndefined();
  });

  it('refuses, on the distribution field, a requester the distribution does not allow', async () => {
    const errors = await refusedInline({ userId: USERS.bob, alias: 'self', paths: '/index.html' });

    // Inline errors are plain text: a mention would show as raw markup.
    expect(errors.distribution).toContain(`only @${USERS.alice} can`);
    expect(errors.distribution).not.toMatch(/<@|`/);
  });

  it('refuses an empty paths field', async () => {
    const { response, request } = await submitModal(bot, {
      userId: USERS.alice,
      alias: 'www',
      paths: '\n \n',
    });

    const body = inlineErrors(response);
    expect(body.errors.paths).toMatch(/no paths/);
    expect(request).toBeUndefined();
  });
});

describe('a distribution that needs no approval', () => {
  it('is submitted to CloudFront as soon as it is created', async () => {
    const request = await acceptedModal({ userId: USERS.bob, alias: 'staging', paths: '/index.html' });

    const creates = bot.cloudfront.state.calls.filter((c) => c.operation === 'CreateInvalidation');
    expect(creates).toHaveLength(1);
    expect(creates[0]).toMatchObject({ distributionId: STAGING_ID, callerReference: request.id });

    const stored = await storeOf(bot).get(request.id);
    expect(stored?.status).toBe('SUBMITTED');
    const card = cardPost(bot, request.id);
    // Nothing to decide: the card is updated without buttons.
    expect(card).toBeUndefined();
    const posted = bot.slackApi.calls('chat.postMessage').find((c) => c.args.channel === APPROVAL_CHANNEL);
    expect(posted?.response.ts).toBe(stored?.cardTs);
    const replies = threadTexts(bot, APPROVAL_CHANNEL, String(stored?.cardTs));
    expect(replies.some((t) => t.includes(String(creates[0]?.invalidationId)))).toBe(true);
  });
});

describe('a submission Slack delivers twice', () => {
  it('creates one request, one card and one invalidation', async () => {
    const first = await submitModal(bot, {
      userId: USERS.bob,
      alias: 'staging',
      paths: '/a.html',
      viewId: 'V0SAMEVIEW',
    });
    const again = await submitModal(
      bot,
      { userId: USERS.bob, alias: 'staging', paths: '/a.html', viewId: 'V0SAMEVIEW' },
      { retryNum: 1, retryReason: 'http_timeout' },
    );

    expect(first.response.statusCode).toBe(200);
    expect(again.response.statusCode).toBe(200);
    expect(again.response.body).toBe('');
    expect(await storeOf(bot).listByRequester(USERS.bob)).toHaveLength(1);
    expect(
      bot.slackApi
        .calls('chat.postMessage')
        .filter((c) => c.args.channel === APPROVAL_CHANNEL && c.args.thread_ts === undefined),
    ).toHaveLength(1);
    expect(bot.cloudfront.state.calls.filter((c) => c.operation === 'CreateInvalidation')).toHaveLength(1);
    // One confirmation DM, not two.
    expect(bot.slackApi.calls('chat.postMessage').filter((c) => c.args.channel === USERS.bob)).toHaveLength(
      1,
    );
  });

  it('creates one request when both deliveries arrive at the same time', async () => {
    const input = { userId: USERS.alice, alias: 'www', paths: '/b.html', viewId: 'V0RACEVIEW' };
    const results = await Promise.all([
      submitModal(bot, input),
      submitModal(bot, input, { retryNum: 1, retryReason: 'http_timeout' }),
    ]);

    expect(results.map((r) => r.response.statusCode)).toEqual([200, 200]);
    const mine = await storeOf(bot).listByRequester(USERS.alice);
    expect(mine).toHaveLength(1);
    const id = mine[0]?.id ?? '';
    const cards = bot.slackApi
      .calls('chat.postMessage')
      .filter((c) => buttonsOf(c.args.blocks).approve === id);
    expect(cards).toHaveLength(1);
  });
});

describe('when Slack fails to take the card', () => {
  it('keeps the request with its card and DM queued, and the poller posts the card, then the DM with its link', async () => {
    bot.slackApi.fail('chat.postMessage', { error: 'ratelimited', status: 429, retryAfterSec: 1 });

    const request = await acceptedModal({ userId: USERS.alice, alias: 'www', paths: '/x.html' });

    expect(request.status).toBe('PENDING');
    expect(request.cardTs).toBeUndefined();
    expect(request.outbox.map((n) => n.kind)).toEqual(['card', 'ask-approvers', 'requester-recorded']);
    // The card waits out Slack's Retry-After; the DM waits for the card it links to.
    expect(request.outbox[0]?.notBefore).toBeDefined();
    expect(bot.slackApi.calls('chat.postMessage').filter((c) => c.args.channel === USERS.alice)).toEqual([]);

    // The poller waits out Retry-After, then posts the card, then tells the requester with its link.
    bot.clock.advance(2_000);
    await bot.poll();
    const card = cardPost(bot, request.id);
    expect(card?.args.channel).toBe(APPROVAL_CHANNEL);
    const stored = await storeOf(bot).get(request.id);
    expect(stored?.cardTs).toBe(card?.response.ts);
    expect(stored?.cardPermalink).toMatch(/^https:\/\//);
    expect(stored?.outbox).toEqual([]);
    const dms = bot.slackApi
      .calls('chat.postMessage')
      .filter((c) => c.args.channel === USERS.alice && !c.error);
    expect(dms).toHaveLength(1);
    expect(textOf(dms[0]?.args ?? {})).toMatch(/^Request recorded\. Waiting for approval/);
    expect(textOf(dms[0]?.args ?? {})).toContain(String(stored?.cardPermalink));
  });
});

describe('App Home', () => {
  it('publishes the person’s requests when they open the Home tab', async () => {
    const { request } = await submitModal(bot, { userId: USERS.alice, alias: 'www', paths: '/home.html' });
    if (!request) throw new Error('no request stored');
    bot.slackApi.clear();

    const res = await bot.send(appHomeOpened({ userId: USERS.alice }));

    expect(res.statusCode).toBe(200);
    const publish = await bot.slackApi.waitFor('views.publish');
    expect(publish.args.user_id).toBe(USERS.alice);
    expect((publish.args.view as { type: string }).type).toBe('home');
    const home = textOf(publish.args);
    expect(home).toMatch(/Your recent requests\* \(1\)/);
    expect(home).toContain(`\`${request.id.slice(-8)}\` *www*`);
  });

  it('publishes an empty home for someone with no requests', async () => {
    const res = await bot.send(appHomeOpened({ userId: USERS.eve }));

    expect(res.statusCode).toBe(200);
    const publish = await bot.slackApi.waitFor('views.publish');
    expect(publish.args.user_id).toBe(USERS.eve);
    expect(textOf(publish.args)).toContain('You have not requested any invalidations yet.');
  });
});

describe('the Bolt app', () => {
  it('never calls auth.test: no extra round trip per request', async () => {
    await bot.send(slashCommand({ text: 'help', userId: USERS.alice, channelId: 'C0DEVCHAN' }));
    await bot.send(blockSuggestion({ userId: USERS.alice, value: '' }));
    await submitModal(bot, { userId: USERS.alice, alias: 'www', paths: '/a' });

    expect(bot.slackApi.calls('auth.test')).toEqual([]);
  });
});

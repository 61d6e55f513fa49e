import { describe, expect, it } from 'vitest';
import {
  APPROVAL_CHANNEL,
  type Bot,
  buttonsOf,
  cardPost,
  cardTsOf,
  cardUpdates,
  click,
  dmsTo,
  ephemeralsTo,
  inlineErrors,
  quickRequest,
  rejectWithForm,
  stagingDistribution,
  storedRequest,
  storeOf,
  submitModal,
  textOf,
  threadReplies,
  threadTexts,
  USERS,
  WWW_ID,
  wwwDistribution,
} from '../support/bot';
import { ephemeralAnswer } from '../support/slack-expect';
import { FAKE_WORKSPACE, type SlackCall } from '../support/slack-fake';
import { appHomeOpened, blockAction, slashCommand } from '../support/slack-requests';
import { useBots } from '../support/use-bots';

/**
 * Issue "approvals nobody has to chase", end to end through the real handlers: the slack
 * function decides and kicks, the worker (the real poller handler) posts. Every assertion is
 * on the exact Slack call (channel, thread, DM channel = user id, mentions) or the stored item
 * and its audit events.
 */

const STRICT_ID = 'E4STRICT000001';
const APPROVER_MENTIONS = '<@U0BOB0001> <@U0CAROL01> <!subteam^S0SREGROUP>';

function config(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    approvalChannel: APPROVAL_CHANNEL,
    requestExpiryMinutes: 120,
    remindAfterMinutes: 30,
    distributions: [
      wwwDistribution({ breakGlass: [USERS.dave] }),
      stagingDistribution(),
      {
        alias: 'strict',
        id: STRICT_ID,
        description: 'Reason required',
        approvers: [USERS.bob],
        requireReason: true,
      },
    ],
    ...overrides,
  };
}

const start = useBots();

function bootBot(options: { env?: Record<string, string>; config?: Record<string, unknown> } = {}) {
  return start({
    config: options.config ?? config(),
    distributions: [STRICT_ID],
    ...(options.env ? { env: options.env } : {}),
  });
}

function texts(calls: readonly SlackCall[]): string[] {
  return calls.map((c) => String(c.args.text));
}

function creates(bot: Bot) {
  return bot.cloudfront.state.calls.filter((c) => c.operation === 'CreateInvalidation');
}

async function actions(bot: Bot, requestId: string): Promise<string[]> {
  return (await storeOf(bot).listEvents(requestId)).map((e) => e.action);
}

describe('approvers are named and pinged', () => {
  it('the card lists who may approve and how many approvals are still needed; the first reply mentions them', async () => {
    const bot = await bootBot();
    const request = await quickRequest(bot, USERS.alice, 'www /index.html -- new stylesheet');

    expect(request.reason).toBe('new stylesheet');
    const card = cardPost(bot, request.id);
    expect(card?.args.channel).toBe(APPROVAL_CHANNEL);
    expect(card?.args.thread_ts).toBeUndefined();
    const cardText = textOf(card?.args ?? {});
    expect(cardText).toContain('*Who may approve*\n<@U0BOB0001>, <@U0CAROL01>, <!subteam^S0SREGROUP>');
    expect(cardText).toContain('*Approvals*\n0 of 2, 2 more needed');
    const [first, ...more] = threadReplies(bot, APPROVAL_CHANNEL, cardTsOf(request));
    expect(more).toEqual([]);
    expect(String(first?.args.text)).toBe(
      `:wave: ${APPROVER_MENTIONS}: <@U0ALICE01> asks to invalidate 1 path on www. It needs 2 approvals; Approve or Reject on the card above.`,
    );
  });

  it('reminds them once, remindAfterMinutes after the card, only while undecided', async () => {
    const bot = await bootBot();
    const waiting = await quickRequest(bot, USERS.alice, 'www /a');
    const decided = await quickRequest(bot, USERS.eve, 'www /b');
    await click(bot, USERS.bob, 'approve', decided);
    await click(bot, USERS.carol, 'approve', await storedRequest(bot, decided.id));
    const reminders = (r: { cardTs?: string }) =>
      threadTexts(bot, APPROVAL_CHANNEL, cardTsOf(r)).filter((t) => t.startsWith(':bell:'));

    bot.clock.advance(29 * 60_000);
    await bot.poll();
    expect(reminders(waiting)).toEqual([]);

    bot.clock.advance(60_000);
    await bot.poll();
    bot.clock.advance(10 * 60_000);
    await bot.poll();

    expect(reminders(waiting)).toHaveLength(1);
    expect(reminders(waiting)[0]).toMatch(
      new RegExp(
        `^:bell: Reminder, ${APPROVER_MENTIONS.replace(/[\^]/g, '\\^')}: this request is still waiting for 2 more approvals\\. It expires <!date\\^`,
      ),
    );
    expect((await actions(bot, waiting.id)).filter((a) => a === 'reminded')).toHaveLength(1);
    // The decided one is never reminded.
    expect(reminders(decided)).toEqual([]);
    expect(await actions(bot, decided.id)).not.toContain('reminded');
  });

  it('remindAfterMinutes 0 means never', async () => {
    const bot = await bootBot({ config: config({ remindAfterMinutes: 0 }) });
    const request = await quickRequest(bot, USERS.alice, 'www /a');
    bot.clock.advance(100 * 60_000);
    await bot.poll();
    expect(
      threadTexts(bot, APPROVAL_CHANNEL, cardTsOf(request)).filter((t) => t.startsWith(':bell:')),
    ).toEqual([]);
  });
});

describe('every end reaches the requester by DM', () => {
  it('rejected without a reason: who, and to ask in the thread', async () => {
    const bot = await bootBot();
    const request = await quickRequest(bot, USERS.alice, 'www /a');
    await rejectWithForm(bot, USERS.bob, request);
    const [dm, ...more] = dmsTo(bot, USERS.alice);
    expect(more).toEqual([]);
    expect(dm?.args.channel).toBe(USERS.alice);
    expect(String(dm?.args.text)).toMatch(
      /^:no_entry: Your invalidation of 1 path on www was rejected by <@U0BOB0001>\. No reason was given; ask in the thread\. Nothing was invalidated\. <https:\/\/.*\|View the thread>$/,
    );
  });

  it('failed at CloudFront: the actionable error', async () => {
    const bot = await bootBot();
    bot.cloudfront.inject({ operation: 'CreateInvalidation', code: 'AccessDenied' });
    const request = await quickRequest(bot, USERS.alice, 'staging /a');
    expect((await storedRequest(bot, request.id)).status).toBe('FAILED');
    const [dm, ...more] = dmsTo(bot, USERS.alice);
    expect(more).toEqual([]);
    expect(String(dm?.args.text)).toMatch(
      /^:x: Your invalidation of 1 path on staging failed: .*cloudfront:CreateInvalidation/,
    );
  });

  it('expired: nobody decided, and how to ask again', async () => {
    const bot = await bootBot();
    const request = await quickRequest(bot, USERS.alice, 'www /a');
    bot.clock.advance(121 * 60_000);
    await bot.poll();
    expect((await storedRequest(bot, request.id)).status).toBe('EXPIRED');
    const expired = dmsTo(bot, USERS.alice).filter((c) => String(c.args.text).startsWith(':alarm_clock:'));
    expect(expired).toHaveLength(1);
    expect(String(expired[0]?.args.text)).toContain(
      'use *Request again* on the card or run `/invalidate www`',
    );
  });
});

describe('a card that cannot be posted', () => {
  it.each([
    ['not_in_channel', `run \`/invite\` <@${FAKE_WORKSPACE.botUserId}> in <#${APPROVAL_CHANNEL}>`],
    ['channel_not_found', `invite <@${FAKE_WORKSPACE.botUserId}> there`],
    ['is_archived', 'is archived'],
    ['missing_scope', 'lacks the `chat:write` scope'],
  ])(
    '%s: FAILED with that reason, audited, and the requester DMed the fix within one run',
    async (error, fix) => {
      const bot = await bootBot();
      bot.slackApi.fail('chat.postMessage', { error });
      const request = await quickRequest(bot, USERS.alice, 'www /a');

      const stored = await storedRequest(bot, request.id);
      expect(stored.status).toBe('FAILED');
      expect(stored.cardTs).toBeUndefined();
      expect(stored.outbox).toEqual([]);
      expect(stored.lastError).toBe(`Slack would not post the request card (${error}).`);
      const events = await storeOf(bot).listEvents(request.id);
      expect(events.map((e) => [e.action, e.detail, e.toStatus])).toEqual([
        ['requested', '1 path(s)', 'PENDING'],
        ['notice-dropped', `card after 1 attempt(s): ${error}`, undefined],
        ['failed', `card not posted: ${error}`, 'FAILED'],
      ]);
      const [dm, ...more] = dmsTo(bot, USERS.alice);
      expect(more).toEqual([]);
      expect(dm?.args.channel).toBe(USERS.alice);
      expect(String(dm?.args.text)).toContain(
        'Your invalidation of 1 path on www failed: nobody could approve it without its card. ',
      );
      expect(String(dm?.args.text)).toContain(fix);
      // Nothing is left for the poller.
      bot.clock.advance(60_000);
      expect(await bot.poll()).toEqual({ rounds: 1, due: 0 });
    },
  );

  it('a transient error is retried as before, and the card is posted later', async () => {
    const bot = await bootBot();
    bot.slackApi.fail('chat.postMessage', { error: 'internal_error', status: 500 });
    const request = await quickRequest(bot, USERS.alice, 'www /a');
    expect((await storedRequest(bot, request.id)).status).toBe('PENDING');
    bot.clock.advance(60_000);
    await bot.poll();
    const posted = await storedRequest(bot, request.id);
    expect(posted.status).toBe('PENDING');
    expect(posted.cardTs).toBe(cardPost(bot, request.id)?.response.ts);
    expect(dmsTo(bot, USERS.alice)).toEqual([]);
    // The approvers' ping, held with the card, waited for it and follows it once.
    const pings = threadTexts(bot, APPROVAL_CHANNEL, cardTsOf(posted)).filter((t) => t.startsWith(':wave:'));
    expect(pings).toHaveLength(1);
    expect(posted.outbox).toEqual([]);
  });
});

describe('break-glass', () => {
  it('submits at once without approval; the card says so, approvers are asked to review, the audit has the reason', async () => {
    const bot = await bootBot();
    const request = await quickRequest(bot, USERS.dave, 'www --break-glass /index.html -- site down, INC-42');

    const stored = await storedRequest(bot, request.id);
    expect(stored).toMatchObject({ breakGlass: true, approvals: [], reason: 'site down, INC-42' });
    expect(stored.status).toBe('SUBMITTED');
    expect(creates(bot)).toHaveLength(1);
    // The card has no decision buttons to find it by: it is the one top-level post in the channel.
    const [card, ...otherCards] = bot.slackApi
      .calls('chat.postMessage')
      .filter((c) => c.args.channel === APPROVAL_CHANNEL && c.args.thread_ts === undefined);
    expect(otherCards).toEqual([]);
    expect(card?.response.ts).toBe(stored.cardTs);
    expect(textOf(card?.args ?? {})).toContain(
      ':rotating_light: *Break-glass: approval was skipped* by <@U0DAVE001>',
    );
    const replies = threadTexts(bot, APPROVAL_CHANNEL, cardTsOf(stored));
    expect(replies).toContain(
      `:rotating_light: Break-glass: <@U0DAVE001> skipped approval and submitted at once. Reason: site down, INC-42. ${APPROVER_MENTIONS}: please review it after the fact.`,
    );
    const [event] = await storeOf(bot).listEvents(request.id);
    expect(event).toMatchObject({
      actor: USERS.dave,
      action: 'break-glass',
      toStatus: 'APPROVED',
      detail: '1 path(s); approval skipped; reason: site down, INC-42',
    });
  });

  it('refuses anyone not in breakGlass, and a break-glass without a reason; nothing is stored', async () => {
    const bot = await bootBot();
    expect((await ephemeralAnswer(bot, USERS.eve, 'www --break-glass /a -- please')).all).toBe(
      ':warning: You may not skip approval (break-glass) on `www`. Only <@U0DAVE001> may. Nothing was requested; ask without break-glass to go through approval.',
    );
    expect((await ephemeralAnswer(bot, USERS.dave, 'www --break-glass /a')).all).toMatch(
      /Break-glass skips approval, so it needs a reason/,
    );
    expect(await storeOf(bot).listByRequester(USERS.eve)).toEqual([]);
    expect(await storeOf(bot).listByRequester(USERS.dave)).toEqual([]);
    expect(creates(bot)).toEqual([]);
  });

  it('the modal offers the checkbox only to people who may break glass, and refuses it inline for anyone else', async () => {
    const bot = await bootBot();
    await bot.send(slashCommand({ text: '', userId: USERS.dave, channelId: 'C0DEVCHAN' }));
    await bot.send(slashCommand({ text: '', userId: USERS.eve, channelId: 'C0DEVCHAN' }));
    const [forDave, forEve] = bot.slackApi.calls('views.open').map((c) => JSON.stringify(c.args.view));
    expect(forDave).toContain('"block_id":"break_glass"');
    expect(forDave).toContain('"value":"break_glass"');
    expect(forEve).not.toContain('break_glass');

    const { response } = await submitModal(bot, {
      userId: USERS.eve,
      alias: 'www',
      paths: '/a',
      reason: 'x',
      breakGlass: true,
    });
    const body = inlineErrors(response);
    expect(body.response_action).toBe('errors');
    expect(body.errors.break_glass).toMatch(
      /^You may not skip approval \(break-glass\) on www\. Only @U0DAVE001 may/,
    );

    const { request } = await submitModal(bot, {
      userId: USERS.dave,
      alias: 'www',
      paths: '/a',
      reason: 'outage',
      breakGlass: true,
    });
    expect(request).toMatchObject({ breakGlass: true, reason: 'outage' });
  });
});

describe('requireReason', () => {
  it('refuses a request without a reason: quick-form message, modal inline error; takes one after --', async () => {
    const bot = await bootBot();
    expect((await ephemeralAnswer(bot, USERS.alice, 'strict /a')).all).toBe(
      ':warning: `strict` needs a reason for every request, so approvers know why. Nothing was requested.',
    );
    const { response } = await submitModal(bot, { userId: USERS.alice, alias: 'strict', paths: '/a' });
    const body = inlineErrors(response);
    expect(body.errors.reason).toBe(
      'strict needs a reason for every request, so approvers know why. Nothing was requested.',
    );
    expect(await storeOf(bot).listByRequester(USERS.alice)).toEqual([]);

    const request = await quickRequest(bot, USERS.alice, 'strict /a -- hotfix 42');
    expect(request).toMatchObject({ reason: 'hotfix 42', status: 'PENDING' });
  });
});

describe('progress on the card', () => {
  it('shows requested → approved → submitted → completed with who and when, and how long it took', async () => {
    const bot = await bootBot();
    const request = await quickRequest(bot, USERS.alice, 'www /a');
    await click(bot, USERS.bob, 'approve', request);
    bot.clock.advance(5_000);
    await click(bot, USERS.carol, 'approve', await storedRequest(bot, request.id));
    const submittedCard = textOf(cardUpdates(bot, cardTsOf(request)).at(-1)?.args ?? {});
    expect(submittedCard).toContain('*In progress* for 0s (CloudFront usually finishes within 25s)');
    for (let i = 0; i < 3 && (await storedRequest(bot, request.id)).status !== 'COMPLETED'; i++) {
      bot.clock.advance(20_000);
      await bot.poll();
    }

    const done = await storedRequest(bot, request.id);
    expect(done.status).toBe('COMPLETED');
    const took = (Date.parse(done.completedAt ?? '') - Date.parse(done.submittedAt ?? '')) / 1000;
    const text = textOf(cardUpdates(bot, cardTsOf(request)).at(-1)?.args ?? {});
    expect(text).toMatch(/:white_check_mark: \*Requested\* by <@U0ALICE01> · <!date\^/);
    expect(text).toMatch(/:white_check_mark: \*Approved\* by <@U0BOB0001>, <@U0CAROL01> · <!date\^/);
    expect(text).toContain(':white_check_mark: *Submitted* to CloudFront');
    expect(text).toMatch(
      new RegExp(`:white_check_mark: \\*Completed\\* · <!date\\^\\d+\\^[^>]*> · took ${took}s`),
    );
  });
});

describe('App Home', () => {
  it('shows what waits for this approver with the buttons, what is in flight, their requests and the month', async () => {
    const bot = await bootBot();
    const waiting = await quickRequest(bot, USERS.alice, 'www /a -- new css');
    await quickRequest(bot, USERS.bob, 'staging /x /y');
    bot.slackApi.clear();

    await bot.send(appHomeOpened({ userId: USERS.bob }));
    const [published, ...more] = bot.slackApi.calls('views.publish');
    expect(more).toEqual([]);
    expect(published?.args.user_id).toBe(USERS.bob);
    const view = published?.args.view as { blocks: unknown[] };
    const text = textOf({ blocks: view.blocks });
    expect(text).toContain('*Waiting for your approval* (1)');
    expect(text).toContain('Requested by <@U0ALICE01>: new css');
    expect(buttonsOf(view.blocks)).toEqual({ approve: waiting.id, reject: waiting.id });
    expect(text).toContain('*In flight* (1)');
    expect(text).toContain('*Your recent requests* (1)');
    expect(text).toContain('`░░░░░░░░░░░░░░░░░░░░` 2 of 1,000 free paths used this month');

    // The requester cannot approve her own: nothing waits for her.
    await bot.send(appHomeOpened({ userId: USERS.alice }));
    const forAlice = textOf(bot.slackApi.last('views.publish')?.args ?? {});
    expect(forAlice).toContain('Nothing is waiting for you.');
  });
});

describe('App Home buttons', () => {
  it('Approve on the App Home records the approval and publishes the tab again', async () => {
    const bot = await bootBot();
    const request = await quickRequest(bot, USERS.alice, 'www /a');
    bot.slackApi.clear();
    // The same click Slack sends from a home tab: no channel, the container is the view.
    const fromCard = blockAction({
      userId: USERS.bob,
      actionId: 'approve',
      value: request.id,
      channelId: 'C0X',
      messageTs: '1.2',
    });
    const payload = JSON.parse(new URLSearchParams(fromCard.rawBody).get('payload') ?? '{}') as Record<
      string,
      unknown
    >;
    const { channel: _channel, message: _message, ...rest } = payload;
    const fromHome = {
      ...rest,
      container: { type: 'view', view_id: 'V0HOME' },
      view: { id: 'V0HOME', type: 'home' },
    };

    const res = await bot.send({
      contentType: fromCard.contentType,
      rawBody: new URLSearchParams({ payload: JSON.stringify(fromHome) }).toString(),
    });

    expect(res.statusCode).toBe(200);
    expect((await storedRequest(bot, request.id)).approvals.map((a) => a.userId)).toEqual([USERS.bob]);
    const [published, ...more] = bot.slackApi.calls('views.publish');
    expect(more).toEqual([]);
    expect(published?.args.user_id).toBe(USERS.bob);
    // Bob has approved: it no longer waits for him.
    expect(textOf(published?.args ?? {})).toContain('Nothing is waiting for you.');

    // A second click there is refused; with no channel to answer in, bob is told by DM.
    bot.slackApi.clear();
    await bot.send({
      contentType: fromCard.contentType,
      rawBody: new URLSearchParams({ payload: JSON.stringify(fromHome) }).toString(),
    });
    expect(bot.slackApi.calls('chat.postEphemeral')).toEqual([]);
    const told = bot.slackApi.calls('chat.postMessage').filter((c) => c.args.channel === USERS.bob);
    expect(told).toHaveLength(1);
    expect(textOf(told[0]?.args ?? {})).toMatch(/already approved/i);
    expect((await storedRequest(bot, request.id)).approvals.map((a) => a.userId)).toEqual([USERS.bob]);
  });
});

describe('small things that cost trust', () => {
  it('"Request again" on an ended card opens the form filled in as that request was', async () => {
    const bot = await bootBot();
    const request = await quickRequest(bot, USERS.alice, 'www /a /b/* -- new css');
    await rejectWithForm(bot, USERS.bob, request, 'not now');
    const card = cardUpdates(bot, cardTsOf(request)).at(-1);
    expect(buttonsOf(card?.args.blocks)).toEqual({ request_again: request.id });
    bot.slackApi.clear();

    await click(bot, USERS.alice, 'request_again', request);

    const [opened, ...more] = bot.slackApi.calls('views.open');
    expect(more).toEqual([]);
    const view = JSON.stringify(opened?.args.view);
    expect(view).toContain('"callback_id":"invalidate_request"');
    expect(view).toContain('"initial_option":{"text":{"type":"plain_text","text":"www"},"value":"www"}');
    expect(view).toContain('"initial_value":"/a\\n/b/*"');
    expect(view).toContain('"initial_value":"new css"');
  });

  it('a double click in dry run never says "sent to CloudFront"', async () => {
    const bot = await bootBot({
      env: { DRY_RUN: 'true' },
      config: config({
        distributions: [
          { alias: 'self', id: WWW_ID, approvers: [USERS.alice], allowSelfApproval: true, requesters: ['*'] },
        ],
      }),
    });
    const request = await quickRequest(bot, USERS.alice, 'self /a');
    await click(bot, USERS.alice, 'approve', request);
    expect((await storedRequest(bot, request.id)).status).not.toBe('PENDING');

    await click(bot, USERS.alice, 'approve', request);

    const told = texts(ephemeralsTo(bot, USERS.alice));
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/no longer pending: it has already been approved/);
    expect(told[0]).not.toMatch(/sent to CloudFront/);
    const everything = bot.slackApi
      .calls()
      .map((c) => textOf(c.args))
      .join('\n');
    expect(everything).not.toMatch(
      /(?<!no invalidation will be |nothing was |nothing is )sent to CloudFront/,
    );
  });
});

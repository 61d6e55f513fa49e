import { describe, expect, it } from 'vitest';
import { kickEvent } from '../../src/app/kick';
import {
  APPROVAL_CHANNEL,
  type Bot,
  cardPost,
  cardTsOf,
  click,
  ephemeralsTo,
  storedRequest,
  storeOf,
  submitModal,
  textOf,
  USERS,
  WORKER_FUNCTION,
  WWW_ID,
} from '../support/bot';
import { blockAction, type SlackBody, slashCommand, viewSubmission } from '../support/slack-requests';
import { eventItemActions, storedItem } from '../support/stored-events';
import { useBots } from '../support/use-bots';

const rawItem = (bot: Bot, pk: string, sk: string) => storedItem(bot.dynamo, pk, sk);

/** The kick the first creation made, as the worker parses it. */
function firstRequestKick(bot: Bot): { requestId: string; createdUnder: string | undefined } {
  const kick = kickEvent.parse(bot.lambda.invocations()[0]?.payload);
  if (kick.kick !== 'request') throw new Error(`not a request kick: ${kick.kick}`);
  return { requestId: kick.requestId, createdUnder: kick.createdUnder };
}

/**
 * The slack function decides, writes once and answers; everything that talks
 * to CloudFront or Slack's Web API runs in the worker it kicks. These tests go
 * through the real slack handler, the real Lambda client (against a loopback
 * Invoke API) and the real poller handler the kick runs.
 */

const start = useBots();

async function quick(bot: Bot, userId: string, text: string) {
  return bot.answer(slashCommand({ text, userId, channelId: APPROVAL_CHANNEL }));
}

async function quickAndPosted(bot: Bot, text: string) {
  await quick(bot, USERS.alice, text);
  await bot.drainKicks();
  const [created] = await storeOf(bot).listByRequester(USERS.alice, 1);
  if (!created) throw new Error('nothing stored');
  return storedRequest(bot, created.id);
}

function cardsOf(bot: Bot, requestId: string) {
  return bot.slackApi
    .calls('chat.postMessage')
    .filter(
      (c) => textOf(c.args).includes(requestId) || JSON.stringify(c.args.blocks ?? []).includes(requestId),
    )
    .filter((c) => c.args.thread_ts === undefined && c.args.channel === APPROVAL_CHANNEL);
}

describe('the kick', () => {
  it('hands a new request to the worker by an asynchronous invoke naming it and the card it holds', async () => {
    const bot = await start();
    const res = await quick(bot, USERS.alice, 'www /index.html');
    expect(res.statusCode).toBe(200);
    await bot.drainKicks();

    const [request] = await storeOf(bot).listByRequester(USERS.alice, 1);
    if (!request) throw new Error('nothing stored');
    const invocations = bot.lambda.invocations();
    expect(invocations).toHaveLength(1);
    expect(invocations[0]).toMatchObject({
      functionName: WORKER_FUNCTION,
      invocationType: 'Event',
      status: 202,
      payload: {
        kick: 'request',
        requestId: request.id,
        held: ['card@1', 'ask-approvers@1'],
        createdUnder: expect.stringMatching(/^command:/),
      },
    });
    // The worker posted the card from the hold, without a claim write of its own.
    expect(cardPost(bot, request.id)?.args.channel).toBe(APPROVAL_CHANNEL);
  });

  it('answers while the worker is still posting to a slow Slack, and the card is posted once', async () => {
    const bot = await start();
    bot.slackApi.setLatency('chat.postMessage', 1_500);

    const res = await quick(bot, USERS.alice, 'www /index.html');

    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body).text).toMatch(
      /^Request recorded\. The approval card will be posted shortly\./,
    );
    // The card post was sent by the worker but Slack has not answered it: the answer did not wait.
    const [request] = await storeOf(bot).listByRequester(USERS.alice, 1);
    expect(request?.cardTs).toBeUndefined();
    await bot.drainKicks();
    const stored = await storedRequest(bot, request?.id ?? '');
    expect(stored.cardTs).toBeDefined();
    expect(cardsOf(bot, stored.id)).toHaveLength(1);
  });

  it('a lost kick leaves the work to the scheduled run, which does it once', async () => {
    const bot = await start();
    bot.lambda.inject({ kind: 'lost' });

    const res = await quick(bot, USERS.alice, 'staging /lost.html');
    expect(res.statusCode).toBe(200);
    await bot.drainKicks();
    const [request] = await storeOf(bot).listByRequester(USERS.alice, 1);
    expect(request?.status).toBe('APPROVED');
    expect(bot.cloudfront.state.calls.filter((c) => c.operation === 'CreateInvalidation')).toHaveLength(0);

    await bot.poll();
    await bot.poll();
    const stored = await storedRequest(bot, request?.id ?? '');
    expect(stored.status).toBe('SUBMITTED');
    expect(bot.cloudfront.state.calls.filter((c) => c.operation === 'CreateInvalidation')).toHaveLength(1);
    expect(cardsOf(bot, stored.id)).toHaveLength(1);
  });

  it.each([
    ['hangs', { kind: 'hang' } as const],
    ['answers 503', { kind: 'error', status: 503, code: 'ServiceException' } as const],
  ])(
    'when the Invoke API %s, the person still gets their answer and the schedule does the work',
    async (_what, fault) => {
      const bot = await start();
      bot.lambda.inject(fault, 1);

      const res = await quick(bot, USERS.alice, 'www /kick-fault.html');

      expect(res.statusCode).toBe(200);
      expect(JSON.parse(res.body).text).toMatch(/^Request recorded\./);
      // One attempt: a kick that failed is not sent again while Slack waits.
      expect(bot.lambda.invocations().map((i) => i.status)).toEqual([fault.kind === 'hang' ? 0 : 503]);
      await bot.drainKicks();
      const [request] = await storeOf(bot).listByRequester(USERS.alice, 1);
      if (!request) throw new Error('nothing stored');
      expect(cardPost(bot, request.id)).toBeUndefined();

      // The creator's hold on the card lapses, then the schedule posts it.
      bot.clock.advance(60_000);
      await bot.poll();
      expect(cardsOf(bot, request.id)).toHaveLength(1);
    },
  );

  it('the final approval answers before the worker submits, and the worker submits exactly once', async () => {
    const bot = await start();
    bot.slackApi.setUserGroup('S0SREGROUP', [USERS.dave]);
    await quick(bot, USERS.alice, 'www /final.html');
    await bot.drainKicks();
    const [created] = await storeOf(bot).listByRequester(USERS.alice, 1);
    if (!created) throw new Error('nothing stored');
    const request = await storedRequest(bot, created.id);

    // A group approver, then a named one: the second click crosses the threshold.
    expect(
      (
        await bot.answer(
          blockAction({
            userId: USERS.dave,
            actionId: 'approve',
            value: request.id,
            channelId: request.channel,
            messageTs: cardTsOf(request),
          }),
        )
      ).statusCode,
    ).toBe(200);
    await bot.drainKicks();
    const res = await bot.answer(
      blockAction({
        userId: USERS.bob,
        actionId: 'approve',
        value: request.id,
        channelId: request.channel,
        messageTs: cardTsOf(request),
      }),
    );
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
    // Recorded as approved by the answer's write; CloudFront is the worker's.
    expect((await storedRequest(bot, request.id)).approvals.map((a) => a.userId)).toEqual([
      USERS.dave,
      USERS.bob,
    ]);
    await bot.drainKicks();
    const done = await storedRequest(bot, request.id);
    expect(done.status).toBe('SUBMITTED');
    const creates = bot.cloudfront.state.calls.filter((c) => c.operation === 'CreateInvalidation');
    expect(creates).toHaveLength(1);
    expect(creates[0]).toMatchObject({ distributionId: WWW_ID, callerReference: request.id });
  });

  it('with CloudFront answering 3 s late, the final approval is answered first and one invalidation is made', async () => {
    const bot = await start({ cloudfrontLatencyMs: 3_000 });
    const request = await quickAndPosted(bot, 'www /slow-cloudfront.html');
    await click(bot, USERS.bob, 'approve', request);

    const res = await bot.answer(
      blockAction({
        userId: USERS.carol,
        actionId: 'approve',
        value: request.id,
        channelId: request.channel,
        messageTs: cardTsOf(request),
      }),
    );

    expect(res.statusCode).toBe(200);
    // Answered while the worker's CreateInvalidation is still waiting for CloudFront.
    expect((await storedRequest(bot, request.id)).status).toBe('APPROVED');
    await bot.drainKicks();
    const done = await storedRequest(bot, request.id);
    expect(done.status).toBe('SUBMITTED');
    expect([...bot.cloudfront.state.invalidations.values()].map((i) => i.callerReference)).toEqual([
      request.id,
    ]);
    const replies = bot.slackApi.calls('chat.postMessage').filter((c) => c.args.thread_ts === request.cardTs);
    expect(replies.map((c) => textOf(c.args)).join('\n')).toContain(String(done.invalidationId));
  });

  it('a refusal on a click reaches the clicker through the worker', async () => {
    const bot = await start();
    const { request } = await submitModal(bot, { userId: USERS.alice, alias: 'www', paths: '/r.html' });
    if (!request) throw new Error('nothing stored');
    const stored = await storedRequest(bot, request.id);

    const res = await click(bot, USERS.eve, 'approve', stored);

    expect(res.statusCode).toBe(200);
    const told = ephemeralsTo(bot, USERS.eve);
    expect(told).toHaveLength(1);
    expect(told[0]?.args.channel).toBe(APPROVAL_CHANNEL);
    expect(textOf(told[0]?.args ?? {})).toMatch(/cannot approve|not an approver|may approve/i);
    expect(bot.lambda.invocations().at(-1)?.payload).toMatchObject({ kick: 'tell', user: USERS.eve });
  });

  it('a modal request is confirmed to the requester by DM, after the card, with its link', async () => {
    const bot = await start();
    const { response, request } = await submitModal(bot, {
      userId: USERS.alice,
      alias: 'www',
      paths: '/dm.html',
    });
    expect(response.body).toBe('');
    if (!request) throw new Error('nothing stored');
    const stored = await storedRequest(bot, request.id);
    const posts = bot.slackApi.calls('chat.postMessage');
    const card = posts.findIndex((c) => c.args.channel === APPROVAL_CHANNEL);
    const dm = posts.findIndex((c) => c.args.channel === USERS.alice);
    expect(card).toBeGreaterThanOrEqual(0);
    expect(dm).toBeGreaterThan(card);
    expect(textOf(posts[dm]?.args ?? {})).toContain(String(stored.cardPermalink));
  });
});

describe('signed but unreadable payloads get a fast 200 or 400, never a 500', () => {
  function mutate(body: SlackBody, change: (payload: Record<string, unknown>) => void): SlackBody {
    const params = new URLSearchParams(body.rawBody);
    const payload = JSON.parse(params.get('payload') ?? '{}') as Record<string, unknown>;
    change(payload);
    params.set('payload', JSON.stringify(payload));
    return { ...body, rawBody: params.toString() };
  }
  const click0 = () =>
    blockAction({
      userId: USERS.bob,
      actionId: 'approve',
      value: '01JBOGUS000000000000000000',
      channelId: APPROVAL_CHANNEL,
      messageTs: '1.2',
    });
  const cases: [string, () => SlackBody][] = [
    ['a click without user', () => mutate(click0(), (p) => delete p.user)],
    ['a click without actions', () => mutate(click0(), (p) => delete p.actions)],
    [
      'a click on an action nobody handles',
      () =>
        mutate(click0(), (p) => {
          (p.actions as Record<string, unknown>[])[0] = {
            action_id: 'nosuch',
            type: 'button',
            value: 'x',
            block_id: 'b',
          };
        }),
    ],
    [
      'a submission without view',
      () =>
        mutate(
          viewSubmission({ userId: USERS.alice, values: { distribution: 'www', paths: '/a' } }),
          (p) => delete p.view,
        ),
    ],
    [
      'a payload of an unknown type',
      () =>
        mutate(click0(), (p) => {
          p.type = 'nosuch_type';
        }),
    ],
    [
      'a payload that is not JSON',
      () => ({ contentType: 'application/x-www-form-urlencoded', rawBody: 'payload=%7Bnot-json' }),
    ],
    [
      'a JSON body of no known shape',
      () => ({ contentType: 'application/json', rawBody: '{"hello":"world"}' }),
    ],
  ];
  it.each(cases)('%s', async (_what, body) => {
    const bot = await start();
    const res = await bot.send(body());
    expect([200, 400]).toContain(res.statusCode);
    expect(bot.cloudfront.state.calls).toEqual([]);
    expect(await storeOf(bot).listByRequester(USERS.bob)).toEqual([]);
  });
});

describe('signature timestamps', () => {
  it('refuses a correctly signed request whose timestamp is more than 5 minutes in the future', async () => {
    const bot = await start();
    const res = await bot.send(
      slashCommand({ text: 'www /future.html', userId: USERS.alice, channelId: APPROVAL_CHANNEL }),
      {
        ageSeconds: -301 - 30,
      },
    );
    expect(res.statusCode).toBe(401);
    expect(await storeOf(bot).listByRequester(USERS.alice)).toEqual([]);
    expect(bot.lambda.invocations()).toEqual([]);
  });

  it('accepts one a little in the future (clock skew within the window)', async () => {
    const bot = await start();
    const res = await bot.send(
      slashCommand({ text: 'www /skew.html', userId: USERS.alice, channelId: APPROVAL_CHANNEL }),
      {
        ageSeconds: -60,
      },
    );
    expect(res.statusCode).toBe(200);
    expect(await storeOf(bot).listByRequester(USERS.alice)).toHaveLength(1);
  });
});

describe('the answer writes once', () => {
  it('a quick form: one PutItem, of the idempotency item; the worker writes the request item and its event', async () => {
    const bot = await start({ countDynamoCalls: true });
    const proxy = bot.dynamoCalls;
    if (proxy === undefined) throw new Error('start the bot with countDynamoCalls');
    // Accepted and never run: what DynamoDB sees until the schedule runs is the answer's alone.
    bot.lambda.inject({ kind: 'lost' });
    const res = await quick(bot, USERS.alice, 'www /index.html');
    expect(res.statusCode).toBe(200);
    expect(proxy.operations()).toEqual(['PutItem']);

    const { requestId, createdUnder } = firstRequestKick(bot);
    expect(createdUnder).toMatch(/^command:/);
    // Only the idempotency item exists, standing in the due list and the history lists.
    expect(await rawItem(bot, `REQ#${requestId}`, 'META')).toBeUndefined();
    const idem = await rawItem(bot, `IDEM#${createdUnder}`, 'IDEM');
    expect(idem?.requestId?.S).toBe(requestId);
    expect(idem?.activePk?.S).toBe('ACTIVE');
    expect(idem?.requesterId?.S).toBe(USERS.alice);
    expect(idem?.distributionId?.S).toBe(WWW_ID);
    expect(idem?.id?.S).toBe(requestId);

    // The kick's hold on the card lapses; the next scheduled run finds the creation in its one Query.
    bot.clock.advance(60_000);
    await bot.poll();
    const ops = proxy.operations().slice(1);
    expect(ops[0]).toBe('Query');
    // It writes the request item, then takes the idempotency item out of the indexes.
    const settled = await rawItem(bot, `IDEM#${createdUnder}`, 'IDEM');
    expect(settled?.requestId?.S).toBe(requestId);
    for (const key of ['activePk', 'activeDue', 'requesterId', 'distributionId', 'id'])
      expect(settled?.[key]).toBeUndefined();
    // Its first write of its own stores the creation event before replacing the item.
    expect(ops).toContain('BatchWriteItem');
    expect(ops.indexOf('BatchWriteItem')).toBeLessThan(ops.lastIndexOf('PutItem'));
    expect(cardPost(bot, requestId)).toBeDefined();
    expect(await eventItemActions(bot.dynamo, requestId)).toEqual(['requested']);
    expect((await storeOf(bot).listByRequester(USERS.alice)).map((r) => r.id)).toEqual([requestId]);

    // A later run finds nothing due: the settled creation is no longer in the due list.
    proxy.clear();
    await bot.poll();
    expect(proxy.operations()).toEqual(['Query']);
    expect(cardsOf(bot, requestId)).toHaveLength(1);
  });

  /** Alice's quick form for `path`, its kick lost: only its idempotency item is written. */
  async function unsettledQuickForm(path: string) {
    const bot = await start();
    bot.lambda.inject({ kind: 'lost' });
    await quick(bot, USERS.alice, `www ${path}`);
    const { requestId } = firstRequestKick(bot);
    expect(await rawItem(bot, `REQ#${requestId}`, 'META')).toBeUndefined();
    const status = (text: string) =>
      bot.answer(slashCommand({ text, userId: USERS.alice, channelId: APPROVAL_CHANNEL }));
    return { bot, requestId, status };
  }

  it("a lost kick: the requester's own lists still show the request, and reading them writes it", async () => {
    const { bot, requestId, status } = await unsettledQuickForm('/listed.html');
    const res = await status('status');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(requestId.slice(-6));
    expect((await rawItem(bot, `REQ#${requestId}`, 'META'))?.status?.S).toBe('PENDING');
    // A full id now finds it too.
    expect((await storeOf(bot).get(requestId))?.paths).toEqual(['/listed.html']);
  });

  it('a lost kick: the full id the answer named finds the request for its requester, and writes it', async () => {
    const { bot, requestId, status } = await unsettledQuickForm('/named.html');
    const res = await status(`status ${requestId}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('/named.html');
    expect((await rawItem(bot, `REQ#${requestId}`, 'META'))?.status?.S).toBe('PENDING');
  });

  it('a modal submission: one PutItem too, keyed by the view id; the kick names that key', async () => {
    const bot = await start({ countDynamoCalls: true });
    const proxy = bot.dynamoCalls;
    if (proxy === undefined) throw new Error('start the bot with countDynamoCalls');
    bot.lambda.inject({ kind: 'lost' });
    const res = await bot.send(
      viewSubmission({
        userId: USERS.alice,
        viewId: 'V0ONEWRITE',
        values: { distribution: 'www', paths: '/m.html' },
      }),
    );
    expect(res.statusCode).toBe(200);
    expect(proxy.operations()).toEqual(['PutItem']);
    const { requestId, createdUnder } = firstRequestKick(bot);
    expect(createdUnder).toBe('view:V0ONEWRITE');
    expect(await rawItem(bot, `REQ#${requestId}`, 'META')).toBeUndefined();
    expect((await rawItem(bot, 'IDEM#view:V0ONEWRITE', 'IDEM'))?.requestId?.S).toBe(requestId);
  });

  it("an approval: the request's read and one put, nothing else on DynamoDB before the answer", async () => {
    const bot = await start({ countDynamoCalls: true });
    const proxy = bot.dynamoCalls;
    if (proxy === undefined) throw new Error('start the bot with countDynamoCalls');
    const request = await quickAndPosted(bot, 'www /index.html');
    bot.lambda.inject({ kind: 'lost' });
    proxy.clear();
    const res = await click(bot, USERS.bob, 'approve', request);
    expect(res.statusCode).toBe(200);
    expect(proxy.operations().filter((op) => op !== 'GetItem' && op !== 'Query')).toEqual(['PutItem']);
    expect((await storeOf(bot).listEvents(request.id)).map((e) => e.action)).toContain('approved');
  });
});

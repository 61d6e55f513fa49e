import { describe, expect, it } from 'vitest';
import type { InvalidationRequest } from '../../src/domain/request';
import {
  APPROVAL_CHANNEL,
  buttonsOf,
  click,
  dmsTo,
  ephemeralsTo,
  rejectWithForm,
  SELF_ID,
  storeOf,
  submitModal,
  threadReplies,
  threadTexts,
  USERS,
} from '../support/bot';
import { useBot } from '../support/use-bots';

/** Who may approve, reject and cancel, through the real handler; every refusal is told to the clicker. */

const bot = useBot();

async function pendingRequest(
  requesterId: string = USERS.alice,
  alias = 'www',
): Promise<InvalidationRequest> {
  const { request } = await submitModal(bot, { userId: requesterId, alias, paths: '/index.html' });
  if (!request?.cardTs) throw new Error('no request with a posted card');
  bot.slackApi.clear();
  return request;
}

function creates() {
  return bot.cloudfront.state.calls.filter((c) => c.operation === 'CreateInvalidation');
}

/** The one ephemeral message `userId` got, on the card's channel. */
function onlyEphemeral(userId: string): string {
  const told = ephemeralsTo(bot, userId);
  expect(told).toHaveLength(1);
  expect(told[0]?.args.channel).toBe(APPROVAL_CHANNEL);
  return String(told[0]?.args.text);
}

describe('who may decide', () => {
  it('tells a non-approver they cannot approve, and records nothing', async () => {
    const request = await pendingRequest();

    const res = await click(bot, USERS.eve, 'approve', request);

    expect(res.statusCode).toBe(200);
    expect(onlyEphemeral(USERS.eve)).toMatch(/not an approver for `www`/);
    const stored = await storeOf(bot).get(request.id);
    expect(stored?.approvals).toEqual([]);
    expect(stored?.version).toBe(request.version);
    expect(bot.slackApi.calls('chat.postMessage')).toEqual([]);
  });

  it('tells a non-approver they cannot reject', async () => {
    const request = await pendingRequest();

    const res = await click(bot, USERS.eve, 'reject', request);

    expect(res.statusCode).toBe(200);
    expect(onlyEphemeral(USERS.eve)).toMatch(/Only approvers can reject/);
    expect((await storeOf(bot).get(request.id))?.status).toBe('PENDING');
  });

  it('lets the requester cancel', async () => {
    const request = await pendingRequest();

    const res = await click(bot, USERS.alice, 'cancel', request);

    expect(res.statusCode).toBe(200);
    expect(ephemeralsTo(bot, USERS.alice)).toEqual([]);
    const stored = await storeOf(bot).get(request.id);
    expect(stored).toMatchObject({ status: 'CANCELLED', decidedBy: USERS.alice });
    const [reply] = threadReplies(bot, APPROVAL_CHANNEL, String(request.cardTs));
    expect(reply?.args.text).toMatch(/Cancelled by <@U0ALICE01>/);
    const update = bot.slackApi.last('chat.update');
    expect(update?.args.ts).toBe(request.cardTs);
    expect(buttonsOf(update?.args.blocks)).toEqual({});
  });

  it('refuses a cancel by an approver, pointing to Reject', async () => {
    const request = await pendingRequest();

    const res = await click(bot, USERS.bob, 'cancel', request);

    expect(res.statusCode).toBe(200);
    expect(onlyEphemeral(USERS.bob)).toMatch(
      /Only the requester, <@U0ALICE01>, can cancel.*reject it instead/,
    );
    expect((await storeOf(bot).get(request.id))?.status).toBe('PENDING');
  });

  it('ends the request when an approver rejects it through the reject form, with a reason', async () => {
    const request = await pendingRequest();

    const { click: clicked, submit } = await rejectWithForm(bot, USERS.carol, request, 'wrong paths');

    expect(clicked.statusCode).toBe(200);
    expect(submit.statusCode).toBe(200);
    // Reject opened the form: callback reject_request, the request id in private_metadata.
    const [opened, ...moreOpened] = bot.slackApi.calls('views.open');
    expect(moreOpened).toEqual([]);
    const view = opened?.args.view as { callback_id: string; private_metadata: string; blocks: unknown[] };
    expect(view.callback_id).toBe('reject_request');
    expect(view.private_metadata).toBe(request.id);
    expect(JSON.stringify(view.blocks)).toContain('"block_id":"reason"');
    const stored = await storeOf(bot).get(request.id);
    expect(stored).toMatchObject({ status: 'REJECTED', decidedBy: USERS.carol, outbox: [] });
    const [reply] = threadReplies(bot, APPROVAL_CHANNEL, String(request.cardTs));
    expect(reply?.args.text).toMatch(
      /Rejected by <@U0CAROL01>\. Reason: wrong paths\. Nothing will be invalidated/,
    );
    // The requester is told by DM (channel = their user id), with who and why.
    const [dm, ...moreDms] = dmsTo(bot, USERS.alice);
    expect(moreDms).toEqual([]);
    expect(dm?.args.text).toMatch(
      /^:no_entry: Your invalidation of 1 path on www was rejected by <@U0CAROL01>\. Reason: wrong paths/,
    );
    const update = bot.slackApi.last('chat.update');
    expect(update?.args.ts).toBe(request.cardTs);
    expect(buttonsOf(update?.args.blocks)).toEqual({ request_again: request.id });
    expect(creates()).toEqual([]);
    const events = await storeOf(bot).listEvents(request.id);
    expect(events.find((e) => e.action === 'rejected')).toMatchObject({
      actor: USERS.carol,
      detail: 'wrong paths',
      toStatus: 'REJECTED',
    });
  });

  it('tells a non-approver they cannot reject instead of opening the form', async () => {
    const request = await pendingRequest();

    await click(bot, USERS.eve, 'reject', request);

    expect(bot.slackApi.calls('views.open')).toEqual([]);
    expect(onlyEphemeral(USERS.eve)).toMatch(/Only approvers can reject/);
  });

  it('tells a late clicker the request is no longer pending', async () => {
    const request = await pendingRequest();
    await rejectWithForm(bot, USERS.carol, request);
    bot.slackApi.clear();

    const res = await click(bot, USERS.bob, 'approve', request);

    expect(res.statusCode).toBe(200);
    expect(onlyEphemeral(USERS.bob)).toMatch(/no longer pending: it was rejected by <@U0CAROL01>/);
    expect((await storeOf(bot).get(request.id))?.approvals).toEqual([]);
    expect(bot.slackApi.calls('chat.postMessage')).toEqual([]);
    expect(creates()).toEqual([]);
  });

  it('tells a clicker the request expired, and expires it', async () => {
    const request = await pendingRequest();
    // requestExpiryMinutes is 60 in the test config.
    bot.clock.advance(61 * 60_000);

    const res = await click(bot, USERS.bob, 'approve', request);

    expect(res.statusCode).toBe(200);
    expect(onlyEphemeral(USERS.bob)).toMatch(/expired/);
    const stored = await storeOf(bot).get(request.id);
    expect(stored?.status).toBe('EXPIRED');
    expect(stored?.approvals).toEqual([]);
    // The thread and the card say so too, at once.
    const replies = threadTexts(bot, APPROVAL_CHANNEL, String(request.cardTs));
    expect(replies.some((t) => /Expired/.test(t))).toBe(true);
    expect(buttonsOf(bot.slackApi.last('chat.update')?.args.blocks)).toEqual({ request_again: request.id });
    expect(
      dmsTo(bot, USERS.alice)
        .map((c) => String(c.args.text))
        .filter((t) => t.includes('expired')),
    ).toHaveLength(1);
    expect(creates()).toEqual([]);
  });
});

describe('self-approval', () => {
  it('is refused where the distribution does not allow it', async () => {
    // alice is not a www approver either; make her one through the SRE group to test the self rule itself.
    bot.slackApi.setUserGroup('S0SREGROUP', [USERS.alice]);
    const request = await pendingRequest(USERS.alice, 'www');

    const res = await click(bot, USERS.alice, 'approve', request);

    expect(res.statusCode).toBe(200);
    expect(onlyEphemeral(USERS.alice)).toMatch(/can't approve your own request/);
    expect((await storeOf(bot).get(request.id))?.approvals).toEqual([]);
  });

  it('is allowed where the distribution allows it', async () => {
    const request = await pendingRequest(USERS.alice, 'self');

    const res = await click(bot, USERS.alice, 'approve', request);

    expect(res.statusCode).toBe(200);
    expect(ephemeralsTo(bot, USERS.alice)).toEqual([]);
    const [create, ...more] = creates();
    expect(more).toEqual([]);
    expect(create).toMatchObject({ distributionId: SELF_ID, callerReference: request.id });
    const stored = await storeOf(bot).get(request.id);
    expect(stored?.status).toBe('SUBMITTED');
    expect(stored?.approvals.map((a) => a.userId)).toEqual([USERS.alice]);
  });
});

describe('concurrent clicks', () => {
  it('sends one invalidation and counts each approver once', async () => {
    bot.slackApi.setUserGroup('S0SREGROUP', [USERS.dave]);
    const request = await pendingRequest();

    const responses = await Promise.all([
      click(bot, USERS.bob, 'approve', request),
      click(bot, USERS.carol, 'approve', request),
      click(bot, USERS.dave, 'approve', request),
      click(bot, USERS.bob, 'approve', request),
      click(bot, USERS.carol, 'approve', request),
      click(bot, USERS.dave, 'approve', request),
    ]);

    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(creates()).toHaveLength(1);
    expect(creates()[0]?.callerReference).toBe(request.id);
    const stored = await storeOf(bot).get(request.id);
    expect(stored?.status).toBe('SUBMITTED');
    const approvers = stored?.approvals.map((a) => a.userId) ?? [];
    expect(approvers).toHaveLength(2);
    expect(new Set(approvers).size).toBe(2);
    // Two approvals were recorded: two "approved" replies, one "submitted".
    const replies = threadTexts(bot, APPROVAL_CHANNEL, String(request.cardTs));
    expect(replies.filter((t) => t.includes(':+1: Approved by'))).toHaveLength(2);
    expect(replies.filter((t) => t.includes(':rocket: Submitted'))).toHaveLength(1);
    // Everyone else was told why their click did nothing.
    expect(bot.slackApi.calls('chat.postEphemeral')).toHaveLength(4);
  });

  it('counts a user-group member as an approver', async () => {
    bot.slackApi.setUserGroup('S0SREGROUP', [USERS.dave]);
    const request = await pendingRequest();

    await click(bot, USERS.dave, 'approve', request);

    expect(ephemeralsTo(bot, USERS.dave)).toEqual([]);
    expect((await storeOf(bot).get(request.id))?.approvals.map((a) => a.userId)).toEqual([USERS.dave]);
  });
});

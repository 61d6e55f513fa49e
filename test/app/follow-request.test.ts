import { describe, expect, it } from 'vitest';
import { createRequest } from '../../src/app/create-request';
import { followRequest } from '../../src/app/follow-request';
import { dmsTo, quickRequest, storedRequest, USERS } from '../support/bot';
import { liveFollowing, repliesMatching } from '../support/poller-steps';
import { useBots } from '../support/use-bots';
import { pollerDeps } from './app-deps';

/** The kick's use case on dynalite and the fakes: one request's due work, then following it. */

const start = useBots();

/** `staging /a` by alice, submitted by its kick, and the clock moved on to its first check; slots are 10 s apart. */
async function firstCheckDue(options: { completeAfterChecks: number; budgetMs: number }) {
  const b = await start({
    completeAfterChecks: options.completeAfterChecks,
    env: { POLL_INTERVAL_MS: '10000', POLL_BUDGET_MS: String(options.budgetMs) },
  });
  const request = await quickRequest(b, USERS.alice, 'staging /a');
  b.clock.advance(2_000);
  return { b, request };
}

describe('followRequest', () => {
  it('follows a submitted request check by check to completion, and tells Slack', async () => {
    const b = await start(liveFollowing({ completeAfterChecks: 2, env: { POLL_BUDGET_MS: '5000' } }));
    const request = await quickRequest(b, USERS.alice, 'staging /a');

    const followed = await followRequest(pollerDeps(b), request.id);

    expect(followed.request?.status).toBe('COMPLETED');
    expect(b.cloudfront.state.callsOf('GetInvalidation').map((c) => c.status)).toEqual([200, 200, 200]);
    expect(repliesMatching(b, request, /Completed/)).toHaveLength(1);
    expect(dmsTo(b, USERS.alice)).toHaveLength(1);
  });

  it('submits an approved request at once, then follows it', async () => {
    const b = await start(liveFollowing({ completeAfterChecks: 1, env: { POLL_BUDGET_MS: '5000' } }));
    b.cloudfront.inject({ operation: 'CreateInvalidation', code: 'ServiceUnavailable', times: 2 });
    const request = await quickRequest(b, USERS.alice, 'staging /a');
    expect(request.status).toBe('APPROVED');
    b.clock.advance(15_000);

    const followed = await followRequest(pollerDeps(b), request.id);

    expect(followed.request?.status).toBe('COMPLETED');
    const created = b.cloudfront.state.callsOf('CreateInvalidation').filter((c) => c.status === 201);
    expect(created.map((c) => c.callerReference)).toEqual([request.id]);
    expect(b.cloudfront.state.callsOf('GetInvalidation')).toHaveLength(2);
  });

  it('with no budget: the due work once, no waiting for the next slot', async () => {
    const { b, request } = await firstCheckDue({ completeAfterChecks: 5, budgetMs: 0 });
    const followed = await followRequest(pollerDeps(b), request.id);
    expect(followed).toMatchObject({ steps: 1, request: { status: 'SUBMITTED' } });
    expect(b.cloudfront.state.callsOf('GetInvalidation')).toHaveLength(1);
  });

  it('starts no CloudFront call the Lambda has no time left for', async () => {
    const { b, request } = await firstCheckDue({ completeAfterChecks: 0, budgetMs: 5000 });
    const followed = await followRequest(pollerDeps(b), request.id, { remainingMs: () => 800 });
    expect(followed.request?.status).toBe('SUBMITTED');
    expect(b.cloudfront.state.callsOf('GetInvalidation')).toHaveLength(0);
    expect((await storedRequest(b, request.id)).version).toBe(request.version);
  });

  it('delivers the notices the kicker holds without a claim; without them it leaves the held card alone', async () => {
    const b = await start();
    const deps = pollerDeps(b);
    const created = await createRequest(deps, {
      requesterId: USERS.alice,
      alias: 'www',
      pathsText: '/a',
      mode: 'lines',
      reason: 'kick',
      idempotencyKey: 'kick-held-1',
    });
    if (created.kind !== 'created') throw new Error(`not created: ${created.kind}`);
    const cardPosts = () =>
      b.slackApi
        .calls('chat.postMessage')
        .filter((c) => c.args.channel === created.request.channel && c.args.thread_ts === undefined);

    // A kick that does not name the held card: the creator's lease stands, nothing is posted.
    const unnamed = await followRequest(deps, created.request.id);
    expect(unnamed.request?.status).toBe('PENDING');
    expect(cardPosts()).toHaveLength(0);

    const { followUp } = created;
    if (followUp.kick !== 'request') throw new Error(`not a request kick: ${followUp.kick}`);
    expect(followUp.createdUnder).toBe('kick-held-1');
    const followed = await followRequest(deps, created.request.id, { held: followUp.held ?? [] });
    expect(cardPosts()).toHaveLength(1);
    expect(followed.request?.cardTs).toBe(cardPosts()[0]?.response.ts);
    expect(followed.request?.outbox).toEqual([]);
  });

  it('a request that does not exist: nothing to follow', async () => {
    const b = await start();
    expect(await followRequest(pollerDeps(b), '01JNB2Z8Q7R4K3M5T6V7W8X9YZ')).toEqual({
      request: undefined,
      steps: 0,
    });
    expect(b.cloudfront.state.calls).toEqual([]);
    expect(b.slackApi.calls()).toEqual([]);
  });
});

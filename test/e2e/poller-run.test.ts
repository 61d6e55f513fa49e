import { describe, expect, it } from 'vitest';
import { type Bot, dmsTo, quickRequest, storedRequest, USERS } from '../support/bot';
import { tooManyInvalidations } from '../support/cloudfront-fake';
import { liveFollowing, repliesMatching, scheduledRun, storedAfterPoll } from '../support/poller-steps';
import { useBots } from '../support/use-bots';

/** What one scheduled run costs and how long it keeps going. */

const start = useBots();

function dynamoOperations(b: Bot): string[] {
  if (b.dynamoCalls === undefined) throw new Error('start the bot with countDynamoCalls');
  return b.dynamoCalls.operations();
}

describe('poller: an idle run', () => {
  it('costs one DynamoDB Query and calls neither Slack nor CloudFront', async () => {
    const b = await start({ countDynamoCalls: true, env: { POLL_BUDGET_MS: '3000' } });
    expect(await b.poll()).toEqual({ rounds: 1, due: 0 });
    expect(dynamoOperations(b)).toEqual(['Query']);
    expect(b.slackApi.calls()).toEqual([]);
    expect(b.cloudfront.state.calls).toEqual([]);
  });

  it('stays one Query with finished and undecided requests in the table', async () => {
    const b = await start({ countDynamoCalls: true, completeAfterChecks: 1 });
    const done = await quickRequest(b, USERS.alice, 'staging /a');
    b.clock.advance(2_000);
    await b.poll();
    expect((await storedAfterPoll(b, 10_000, done.id)).status).toBe('COMPLETED');
    const pending = await quickRequest(b, USERS.alice, 'www /b');
    expect(pending.status).toBe('PENDING');
    b.clock.advance(10 * 60_000);

    b.dynamoCalls?.clear();
    b.slackApi.clear();
    const cloudFrontCalls = b.cloudfront.state.calls.length;
    expect(await b.poll()).toEqual({ rounds: 1, due: 0 });
    expect(dynamoOperations(b)).toEqual(['Query']);
    expect(b.slackApi.calls()).toEqual([]);
    expect(b.cloudfront.state.calls).toHaveLength(cloudFrontCalls);
  });
});

describe('poller: following within one run', () => {
  it('follows a submission check by check and reports completion in the same run, then stops', async () => {
    const b = await start(liveFollowing({ completeAfterChecks: 3 }));
    const request = await quickRequest(b, USERS.alice, 'staging /a');

    // The kick (budget 0) submitted it; a run with a budget follows it.
    const run = await scheduledRun(b, 5_000)();

    // Three InProgress answers, then Completed: four checks, none after that, all in this one run.
    expect(b.cloudfront.state.callsOf('GetInvalidation')).toHaveLength(4);
    expect(run.due).toBe(1);
    const done = await storedRequest(b, request.id);
    expect(done.status).toBe('COMPLETED');
    expect(repliesMatching(b, request, /Completed/)).toHaveLength(1);
    expect(dmsTo(b, USERS.alice)).toHaveLength(1);
  });

  it('gives up following when the budget is spent, and the next run carries on', async () => {
    const b = await start(liveFollowing({ completeAfterChecks: 50 }));
    const request = await quickRequest(b, USERS.alice, 'staging /a');
    const poll = scheduledRun(b, 300);
    await poll();
    const checks = b.cloudfront.state.callsOf('GetInvalidation').length;
    expect(checks).toBeGreaterThan(1);
    expect((await storedRequest(b, request.id)).status).toBe('SUBMITTED');

    // The next run finds the request due at its next slot and goes on checking.
    b.clock.advance(50);
    await poll();
    expect(b.cloudfront.state.callsOf('GetInvalidation').length).toBeGreaterThan(checks + 1);
    expect((await storedRequest(b, request.id)).status).toBe('SUBMITTED');
  });

  it('stops after one round when what is in flight is waiting out a back-off', async () => {
    const b = await start(liveFollowing({ env: { POLL_BUDGET_MS: '3000' } }));
    b.cloudfront.inject(tooManyInvalidations(2));
    const request = await quickRequest(b, USERS.alice, 'staging /a');
    expect(request.status).toBe('APPROVED');
    b.clock.advance(15_000);
    const run = await b.poll();
    // The retry is deferred again (30 s, beyond the budget): nothing is left to follow, and the run ends.
    expect(run.due).toBe(1);
    expect(run.rounds).toBeLessThanOrEqual(2);
    expect(b.cloudfront.state.callsOf('CreateInvalidation')).toHaveLength(2);
    expect((await storedRequest(b, request.id)).status).toBe('APPROVED');
  });
});

import { describe, expect, it } from 'vitest';
import { type Bot, dmsTo, quickRequest, storedRequest, threadReplies, USERS } from '../support/bot';
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
    await b.poll();
    b.clock.advance(10_000);
    await b.poll();
    expect((await storedRequest(b, done.id)).status).toBe('COMPLETED');
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

describe('poller: re-checking within one run', () => {
  it('re-checks every POLL_INTERVAL_MS and reports completion in the same run, then stops', async () => {
    const b = await start({
      liveClock: true,
      completeAfterChecks: 3,
      env: { POLL_BUDGET_MS: '3000', POLL_INTERVAL_MS: '50' },
    });
    const request = await quickRequest(b, USERS.alice, 'staging /a');
    expect(request.status).toBe('SUBMITTED');

    const started = performance.now();
    const run = await b.poll();
    const tookMs = performance.now() - started;

    // Three InProgress answers, then Completed: four rounds, one check each, and no round after that.
    expect(b.cloudfront.state.callsOf('GetInvalidation')).toHaveLength(4);
    expect(run.rounds).toBe(4);
    expect(tookMs).toBeLessThan(2_000);
    const done = await storedRequest(b, request.id);
    expect(done.status).toBe('COMPLETED');
    expect(
      threadReplies(b, request.channel, request.cardTs ?? '').filter((c) =>
        String(c.args.text).includes('Completed'),
      ),
    ).toHaveLength(1);
    expect(dmsTo(b, USERS.alice)).toHaveLength(1);
  });

  it('gives up re-checking when the budget is spent, and the next run carries on', async () => {
    const b = await start({
      liveClock: true,
      completeAfterChecks: 50,
      env: { POLL_BUDGET_MS: '300', POLL_INTERVAL_MS: '50' },
    });
    const request = await quickRequest(b, USERS.alice, 'staging /a');
    const first = await b.poll();
    expect(first.rounds).toBeGreaterThan(1);
    expect(first.rounds).toBeLessThanOrEqual(7);
    const checks = b.cloudfront.state.callsOf('GetInvalidation').length;
    expect(checks).toBe(first.rounds);
    expect((await storedRequest(b, request.id)).status).toBe('SUBMITTED');

    // The next run finds the request due once the interval since its last check has passed.
    b.clock.advance(50);
    const second = await b.poll();
    expect(second.rounds).toBeGreaterThan(1);
    expect(b.cloudfront.state.callsOf('GetInvalidation')).toHaveLength(checks + second.rounds);
  });

  it('stops after one round when what is in flight is waiting out a back-off', async () => {
    const b = await start({
      liveClock: true,
      env: { POLL_BUDGET_MS: '3000', POLL_INTERVAL_MS: '50' },
    });
    b.cloudfront.inject({
      operation: 'CreateInvalidation',
      code: 'TooManyInvalidationsInProgress',
      status: 400,
      times: 2,
    });
    const request = await quickRequest(b, USERS.alice, 'staging /a');
    expect(request.status).toBe('APPROVED');
    b.clock.advance(15_000);
    const started = performance.now();
    const run = await b.poll();
    // The retry is deferred again (30 s): one more round finds nothing due, and the run ends.
    expect(run.rounds).toBeLessThanOrEqual(2);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(b.cloudfront.state.callsOf('CreateInvalidation')).toHaveLength(2);
  });
});

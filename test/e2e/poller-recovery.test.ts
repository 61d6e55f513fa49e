import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { describe, expect, it } from 'vitest';
import { findDistribution, loadConfig } from '../../src/config/load-config';
import { newRequest } from '../../src/domain/lifecycle';
import { holdFirstNotices } from '../../src/domain/notice-transitions';
import { NOTICE_LEASE_MS } from '../../src/domain/outbox';
import { claimForSubmission, SUBMIT_LEASE_MS } from '../../src/domain/submission';
import {
  APPROVAL_CHANNEL,
  type Bot,
  cardPost,
  click,
  dmsTo,
  quickRequest,
  STAGING_ID,
  storedRequest,
  storeOf,
  USERS,
  WWW_ID,
} from '../support/bot';
import { tooManyInvalidations } from '../support/cloudfront-fake';
import { repliesMatching, storedAfterPoll } from '../support/poller-steps';
import { useBots } from '../support/use-bots';

/** Submission that did not go through the first time, finished by the poller with one invalidation. */

const start = useBots();

function creates(b: Bot) {
  return b.cloudfront.state.callsOf('CreateInvalidation');
}

function succeededCreates(b: Bot) {
  return creates(b).filter((c) => c.status === 201);
}

/** `/invalidate www …` by alice, approved by bob and carol (www needs two). */
async function approvedWww(b: Bot, paths = '/index.html /app.js') {
  const pending = await quickRequest(b, USERS.alice, `www ${paths}`);
  expect(pending.status).toBe('PENDING');
  await click(b, USERS.bob, 'approve', pending);
  await click(b, USERS.carol, 'approve', pending);
  return storedRequest(b, pending.id);
}

describe('poller: recovering a submission', () => {
  it('retries a submission lost to the network, with the same CallerReference, creating one invalidation', async () => {
    const b = await start();
    // The SDK tries twice; both attempts of the approval's submission are dropped.
    b.cloudfront.inject({ operation: 'CreateInvalidation', code: 'NetworkError', times: 2 });
    const request = await approvedWww(b);
    expect(request.status).toBe('APPROVED');
    expect(request.submitAttempts).toBe(1);
    expect(b.cloudfront.state.invalidations.size).toBe(0);

    // Not before the back-off.
    await b.poll();
    expect(creates(b)).toHaveLength(2);

    const submitted = await storedAfterPoll(b, 15_000, request.id);
    expect(submitted.status).toBe('SUBMITTED');
    expect(creates(b).map((c) => [c.callerReference, c.status])).toEqual([
      [request.id, 0],
      [request.id, 0],
      [request.id, 201],
    ]);
    expect(b.cloudfront.state.invalidations.size).toBe(1);
    expect(submitted.invalidationId).toBe(succeededCreates(b)[0]?.invalidationId);
    expect(repliesMatching(b, request, /cannot take the invalidation yet/)).toHaveLength(1);
    expect(repliesMatching(b, request, /Submitted 2 paths/)).toHaveLength(1);

    b.clock.advance(10_000);
    await b.poll();
    expect((await storedAfterPoll(b, 10_000, request.id)).status).toBe('COMPLETED');
    expect(b.cloudfront.state.invalidations.size).toBe(1);
  });

  it('takes over a submission whose submitter crashed after claiming it, once the lease runs out', async () => {
    const b = await start();
    b.cloudfront.inject({ operation: 'CreateInvalidation', code: 'NetworkError', times: 2 });
    const request = await approvedWww(b);
    b.clock.advance(15_000);
    // Another submitter claims the retry, then dies before calling CloudFront.
    await storeOf(b).update(request.id, (r) => {
      const t = claimForSubmission(r, b.clock.now());
      return t.ok
        ? { kind: 'write', next: t.request, events: t.events, result: undefined }
        : { kind: 'stop', result: undefined };
    });

    await b.poll();
    expect(creates(b)).toHaveLength(2);
    expect((await storedRequest(b, request.id)).status).toBe('APPROVED');

    expect((await storedAfterPoll(b, SUBMIT_LEASE_MS, request.id)).status).toBe('SUBMITTED');
    expect(succeededCreates(b).map((c) => c.callerReference)).toEqual([request.id]);
    expect(b.cloudfront.state.invalidations.size).toBe(1);
  });

  it('returns the existing invalidation when CloudFront got the submission but the bot never recorded it', async () => {
    const b = await start();
    b.cloudfront.inject({ operation: 'CreateInvalidation', code: 'NetworkError', times: 2 });
    const request = await approvedWww(b);
    expect(request.status).toBe('APPROVED');

    // The submission reached CloudFront; only the answer (and the recording) was lost.
    const cloudfront = new CloudFrontClient({
      endpoint: b.cloudfront.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'e2e', secretAccessKey: 'e2e' },
    });
    const direct = await cloudfront.send(
      new CreateInvalidationCommand({
        DistributionId: WWW_ID,
        InvalidationBatch: {
          CallerReference: request.id,
          Paths: { Quantity: request.paths.length, Items: request.paths },
        },
      }),
    );
    cloudfront.destroy();
    const existingId = direct.Invalidation?.Id;
    expect(existingId).toBeDefined();

    const submitted = await storedAfterPoll(b, 15_000, request.id);
    expect(submitted.status).toBe('SUBMITTED');
    expect(submitted.invalidationId).toBe(existingId);
    expect(b.cloudfront.state.invalidations.size).toBe(1);
    expect(repliesMatching(b, request, new RegExp(`Submitted .*${existingId}`))).toHaveLength(1);
  });
});

describe('poller: CloudFront pushing back', () => {
  it('queues through TooManyInvalidationsInProgress with a growing back-off, telling the thread once', async () => {
    const b = await start();
    // Not retried by the SDK: each injection answers one submission attempt.
    b.cloudfront.inject(tooManyInvalidations(3));
    const request = await quickRequest(b, USERS.alice, 'staging /a /b/*');
    expect(request.status).toBe('APPROVED');

    const waits: number[] = [];
    const recordWait = async () => {
      const current = await storedRequest(b, request.id);
      waits.push(Date.parse(current.nextAttemptAt ?? '') - b.clock.now().getTime());
      return current;
    };
    await recordWait();
    for (let attempt = 2; attempt <= 4; attempt++) {
      // A poll before the back-off is over leaves CloudFront alone.
      b.clock.advance((waits.at(-1) ?? 0) - 1_000);
      await b.poll();
      expect(creates(b)).toHaveLength(attempt - 1);
      b.clock.advance(1_000);
      await b.poll();
      expect(creates(b)).toHaveLength(attempt);
      if (attempt < 4) {
        const current = await recordWait();
        expect(current.status).toBe('APPROVED');
        expect(current.submitAttempts).toBe(attempt);
      }
    }
    expect(waits).toEqual([15_000, 30_000, 60_000]);

    const done = await storedRequest(b, request.id);
    expect(done.status).toBe('SUBMITTED');
    expect(done.lastError).toBeUndefined();
    expect(creates(b).map((c) => c.errorCode ?? 'ok')).toEqual([
      'TooManyInvalidationsInProgress',
      'TooManyInvalidationsInProgress',
      'TooManyInvalidationsInProgress',
      'ok',
    ]);
    expect(creates(b).every((c) => c.callerReference === request.id)).toBe(true);
    expect(b.cloudfront.state.invalidations.size).toBe(1);

    const queued = repliesMatching(b, request, /TooManyInvalidationsInProgress/);
    expect(queued).toHaveLength(1);
    expect(String(queued[0]?.args.text)).toContain('I will retry automatically');
    expect(repliesMatching(b, request, /Submitted 2 paths/)).toHaveLength(1);
    expect(dmsTo(b, USERS.alice)).toHaveLength(0);
  });

  it('fails on AccessDenied, naming the IAM action and the distribution ARN, and tells the requester', async () => {
    const b = await start();
    // First a transient failure, so it is the poller's retry that meets AccessDenied.
    b.cloudfront.inject({ operation: 'CreateInvalidation', code: 'NetworkError', times: 2 });
    const request = await quickRequest(b, USERS.alice, 'staging /a');
    expect(request.status).toBe('APPROVED');
    b.cloudfront.inject({ operation: 'CreateInvalidation', code: 'AccessDenied', times: 1 });

    const failed = await storedAfterPoll(b, 15_000, request.id);
    expect(failed.status).toBe('FAILED');
    expect(failed.nextAttemptAt).toBeUndefined();

    const arn = `arn:aws:cloudfront::&lt;account-id&gt;:distribution/${STAGING_ID}`;
    const replies = repliesMatching(b, request, /Failed/);
    expect(replies).toHaveLength(1);
    const text = String(replies[0]?.args.text);
    expect(text).toContain('cloudfront:CreateInvalidation');
    expect(text).toContain(arn);

    const dms = dmsTo(b, USERS.alice);
    expect(dms).toHaveLength(1);
    expect(String(dms[0]?.args.text)).toContain('Your invalidation of 1 path on staging failed');
    expect(String(dms[0]?.args.text)).toContain('cloudfront:CreateInvalidation');

    // Permanent: later runs leave it alone.
    b.clock.advance(10 * 60_000);
    await b.poll();
    expect(creates(b)).toHaveLength(3);
    expect(repliesMatching(b, request, /Failed/)).toHaveLength(1);
  });
});

describe('poller: a creator that stopped before posting its card', () => {
  it('leaves the held card alone until the lease runs out, then posts it once', async () => {
    const b = await start();
    // What createRequest stores: the new request with its card held by its creator, which then
    // dies before posting it.
    const config = loadConfig({ BOT_CONFIG: b.env.BOT_CONFIG }, () => '');
    const www = findDistribution(config, 'www');
    if (!www) throw new Error('www missing from the test config');
    const fresh = newRequest({
      id: '01JHELDCARD000000000000000',
      distribution: www,
      channel: APPROVAL_CHANNEL,
      requesterId: USERS.alice,
      reason: 'held card',
      paths: ['/held.html'],
      wildcardCount: 0,
      now: b.clock.now(),
      expiryMinutes: 60,
      dryRun: false,
    });
    const { request, held } = holdFirstNotices(fresh.request, b.clock.now());
    expect(held.map((n) => n.kind)).toEqual(['card', 'ask-approvers']);
    await storeOf(b).create(request, fresh.event, 'held-card-test');

    b.clock.advance(NOTICE_LEASE_MS - 1_000);
    await b.poll();
    expect(cardPost(b, request.id)).toBeUndefined();

    b.clock.advance(1_000);
    await b.poll();
    await b.poll();
    const posts = b.slackApi
      .calls('chat.postMessage')
      .filter((c) => c.args.channel === APPROVAL_CHANNEL && c.args.thread_ts === undefined);
    expect(posts).toHaveLength(1);
    expect((await storedRequest(b, request.id)).cardTs).toBe(cardPost(b, request.id)?.response.ts);
  });
});

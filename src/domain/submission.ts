import { doublingBackoffMs } from './backoff';
import type { BatchProgress } from './batches';
import { type CheckSchedule, firstCheckAt } from './check-schedule';
import { refuse, step, type Transition } from './lifecycle';
import type { InvalidationRequest } from './request';
import { batchToSubmit, requestBatches, submittedBatches } from './request-batches';

/**
 * Submission transitions: claiming an approved request for CloudFront, recording
 * each batch CloudFront accepted, waiting out a transient error, and failing for
 * good. Each goes through the lifecycle's step (./lifecycle).
 */

/** `nextAttemptAt` is both the submission lease and the booked status-check slot (./status-checks). */
export function isDue(request: InvalidationRequest, now: Date): boolean {
  return request.nextAttemptAt === undefined || Date.parse(request.nextAttemptAt) <= now.getTime();
}

/** How long a submitter may hold an approved request before another may try (a crashed Lambda's lease). */
export const SUBMIT_LEASE_MS = 60_000;

/**
 * Claims an approved, due request for one submission attempt. Only the writer
 * that wins this claim calls CloudFront, so concurrent triggers (the last
 * approval, the poller) send one CreateInvalidation; a crash is retried when
 * the lease runs out, with the same CallerReference.
 */
export function claimForSubmission(request: InvalidationRequest, now: Date): Transition {
  // A SUBMITTED request is claimed again for each further batch the in-progress budget allows.
  const laterBatch = request.status === 'SUBMITTED' && batchToSubmit(request) !== undefined;
  if (request.status !== 'APPROVED' && !laterBatch)
    return refuse({ code: 'wrong-status', status: request.status });
  // Another submission attempt is in progress, or waiting out its back-off.
  if (!isDue(request, now)) return refuse({ code: 'not-due' });
  return step(request, now, {
    actor: 'bot',
    action: 'submission-claimed',
    changes: { nextAttemptAt: new Date(now.getTime() + SUBMIT_LEASE_MS).toISOString() },
  });
}

/**
 * CloudFront has batch `batchNumber` (1 unless the request is split, see
 * ./batches). The first batch moves the request to SUBMITTED; later ones add
 * to it. `invalidationId` stays the first batch's.
 */
export function recordSubmission(
  request: InvalidationRequest,
  invalidation: { invalidationId: string; status: string },
  now: Date,
  schedule: CheckSchedule,
  batchNumber = 1,
): Transition {
  const first = request.status === 'APPROVED';
  if (!first && !(request.status === 'SUBMITTED' && batchToSubmit(request)?.number === batchNumber))
    return refuse({ code: 'wrong-status', status: request.status });
  const { lastError: _cleared, ...rest } = request;
  const batch: BatchProgress = {
    number: batchNumber,
    invalidationId: invalidation.invalidationId,
    status: invalidation.status,
    submittedAt: now.toISOString(),
  };
  const batches = [...submittedBatches(request), batch];
  const total = requestBatches(request).length;
  return step({ ...rest }, now, {
    to: 'SUBMITTED',
    actor: 'bot',
    action: 'submitted',
    detail:
      total > 1
        ? `${invalidation.invalidationId} (batch ${batchNumber} of ${total})`
        : invalidation.invalidationId,
    changes: {
      ...(first
        ? {
            invalidationId: invalidation.invalidationId,
            cloudFrontStatus: invalidation.status,
            submittedAt: now.toISOString(),
          }
        : {}),
      batches,
      nextAttemptAt: firstCheckAt(now, schedule).toISOString(),
    },
    // The thread hears of the first batch; the card shows the progress of the rest.
    notices: first ? [{ kind: 'submitted' }, { kind: 'card' }] : [{ kind: 'card' }],
  });
}

/** Back-off between submission attempts after transient errors: 15 s doubling, capped at 5 minutes. */
export function submitBackoffMs(failedAttempts: number): number {
  return doublingBackoffMs(failedAttempts, 15_000, 5 * 60_000);
}

/** A transient CloudFront error: stay APPROVED, retry later; the thread is told once, on the first wait. */
export function deferSubmission(
  request: InvalidationRequest,
  error: { code: string; message: string },
  now: Date,
): Transition {
  // A later batch waits the same way, while the batches CloudFront has carry on.
  const laterBatch = request.status === 'SUBMITTED' && batchToSubmit(request) !== undefined;
  if (request.status !== 'APPROVED' && !laterBatch)
    return refuse({ code: 'wrong-status', status: request.status });
  const attempts = request.submitAttempts + 1;
  return step(request, now, {
    actor: 'bot',
    action: 'submission-deferred',
    detail: `${error.code}: attempt ${attempts}`,
    changes: {
      submitAttempts: attempts,
      lastError: error.message,
      nextAttemptAt: new Date(now.getTime() + submitBackoffMs(attempts)).toISOString(),
    },
    notices: attempts === 1 ? [{ kind: 'queued', detail: error.message }, { kind: 'card' }] : [],
  });
}

/** A permanent error: FAILED, with the actionable message in the thread and a DM to the requester. */
export function fail(
  request: InvalidationRequest,
  error: { code: string; message: string },
  now: Date,
): Transition {
  if (request.status !== 'APPROVED' && request.status !== 'SUBMITTED') {
    return refuse({ code: 'wrong-status', status: request.status });
  }
  const { nextAttemptAt: _none, ...rest } = request;
  return step(rest, now, {
    to: 'FAILED',
    actor: 'bot',
    action: 'failed',
    detail: error.code,
    changes: { lastError: error.message },
    notices: [
      { kind: 'failed', detail: error.message },
      { kind: 'requester-failed', detail: error.message },
      { kind: 'card' },
    ],
  });
}

import { allBatchesDone, type BatchProgress } from './batches';
import { type CheckSchedule, nextCheckAt } from './check-schedule';
import { refuse, step, type Transition } from './lifecycle';
import type { InvalidationRequest } from './request';
import { batchToSubmit, requestBatches, submittedBatches } from './request-batches';
import { isDue } from './submission';

/** Status-check transitions of a submitted invalidation: claim the next check, record what CloudFront said. */

/** What CloudFront reported for one batch. */
export interface BatchStatus {
  number: number;
  status: string;
}

/**
 * The card shows CloudFront's status and when it was last checked. Checks come
 * every few seconds, and refreshing the card for each would cost a Slack call
 * and a write each: an unchanged answer refreshes it at most this often.
 */
export const CARD_REFRESH_MS = 60_000;

export interface CheckTiming {
  /** After this long in progress, the thread gets one "still in progress" reply. */
  stillInProgressAfterMs: number;
}

/**
 * Claims the next status check of a submitted invalidation, before CloudFront
 * is asked: the write books the slot after this one (`nextAttemptAt`, see
 * ./check-schedule), conditional on the version, so of overlapping runs and
 * kicks waking for the same slot only the winner calls GetInvalidation.
 *
 * ```
 *  slot n due ──▶ run A: claim (nextAttemptAt := slot n+1) ✔ ──▶ GetInvalidation ──▶ record if changed
 *             └─▶ run B: claim ✘ (version moved; re-read: not due until slot n+1) ──▶ sleeps
 * ```
 *
 * The booked slot is also the lease: a claimer that dies, or whose call is
 * aborted, leaves the request due again at the next slot. Bookkeeping only: no
 * audit event, no notice.
 */
export function claimCheck(request: InvalidationRequest, now: Date, schedule: CheckSchedule): Transition {
  if (request.status !== 'SUBMITTED') return refuse({ code: 'wrong-status', status: request.status });
  // The next slot is still ahead.
  if (!isDue(request, now)) return refuse({ code: 'not-due' });
  const submittedAt = new Date(request.submittedAt ?? request.updatedAt);
  return {
    ok: true,
    request: {
      ...request,
      nextAttemptAt: nextCheckAt(submittedAt, now, schedule).toISOString(),
      version: request.version + 1,
      updatedAt: now.toISOString(),
    },
    events: [],
  };
}

/**
 * Records what CloudFront answered a claimed check (one status, or one per
 * batch of a split request). The next check is already booked by the claim, so
 * an answer that changes nothing is not written (`no-change`); what does:
 * Completed, a batch finished (the next one is submitted at once), a new
 * status, the one "still in progress" reply, and a card last refreshed
 * CARD_REFRESH_MS ago. Idempotent across overlapping runs: a request already
 * completed refuses, and the reply is sent once.
 */
export function recordCheck(
  request: InvalidationRequest,
  reported: string | readonly BatchStatus[],
  now: Date,
  timing: CheckTiming,
): Transition {
  if (request.status !== 'SUBMITTED') return refuse({ code: 'wrong-status', status: request.status });
  // One status (an unsplit request) is the status of every batch still in progress.
  const statuses = new Map(
    typeof reported === 'string'
      ? submittedBatches(request).map((b) => [b.number, b.status === 'Completed' ? b.status : reported])
      : reported.map((r) => [r.number, r.status]),
  );
  const at = now.toISOString();
  const batches = submittedBatches(request).map((b): BatchProgress => {
    const status = statuses.get(b.number) ?? b.status;
    if (b.status === 'Completed' || status !== 'Completed') return { ...b, status };
    return { ...b, status, completedAt: at };
  });
  const plan = requestBatches(request);
  // For a split request, CloudFront's word on the request as a whole: Completed only when every batch is.
  const running = batches.find((b) => b.status !== 'Completed');
  const cloudFrontStatus = allBatchesDone(plan, batches) ? 'Completed' : (running?.status ?? 'InProgress');
  const checked = { lastCheckedAt: at, cloudFrontStatus, batches };
  const withBatches = { ...request, batches };
  if (!allBatchesDone(plan, batches) && batchToSubmit(withBatches) !== undefined) {
    // A batch finished and made room for the next: submit it now.
    const completedNow = batches.filter(
      (b, i) => b.status === 'Completed' && submittedBatches(request)[i]?.status !== 'Completed',
    );
    return step(request, now, {
      actor: 'bot',
      action: 'checked',
      detail: completedNow.map((b) => `batch ${b.number} Completed`).join(', ') || cloudFrontStatus,
      changes: { ...checked, nextAttemptAt: at },
      notices: [{ kind: 'card' }],
    });
  }
  if (allBatchesDone(plan, batches)) {
    const { nextAttemptAt: _none, ...rest } = request;
    return step(rest, now, {
      to: 'COMPLETED',
      actor: 'bot',
      action: 'completed',
      changes: { ...checked, completedAt: now.toISOString() },
      notices: [{ kind: 'completed' }, { kind: 'requester-completed' }, { kind: 'card' }],
    });
  }
  const since = Date.parse(request.submittedAt ?? request.updatedAt);
  const tellStill =
    request.stillInProgressNotifiedAt === undefined && now.getTime() - since >= timing.stillInProgressAfterMs;
  const before = submittedBatches(request);
  const statusChanged =
    cloudFrontStatus !== request.cloudFrontStatus || batches.some((b, i) => b.status !== before[i]?.status);
  const cardStale =
    now.getTime() - Date.parse(request.lastCheckedAt ?? request.submittedAt ?? request.updatedAt) >=
    CARD_REFRESH_MS;
  if (!tellStill && !statusChanged && !cardStale) {
    return refuse({ code: 'no-change', cloudFrontStatus });
  }
  // The next check is already booked by the claim (claimCheck).
  return step(request, now, {
    actor: 'bot',
    action: 'checked',
    detail: cloudFrontStatus,
    changes: {
      ...checked,
      ...(tellStill ? { stillInProgressNotifiedAt: now.toISOString() } : {}),
    },
    notices: tellStill ? [{ kind: 'still-in-progress' }, { kind: 'card' }] : [{ kind: 'card' }],
  });
}

import type { CheckSchedule } from '../domain/check-schedule';
import type { InvalidationRequest } from '../domain/request';
import { batchesInProgress } from '../domain/request-batches';
import { type BatchStatus, claimCheck, recordCheck } from '../domain/status-checks';
import { fail } from '../domain/submission';
import { asChange } from './as-change';
import { withDeadline } from './call-deadline';
import type { BotDeps, BotSettings } from './deps';
import { distributionTarget } from './distribution-target';
import type { GatewayError, GatewayResult } from './ports';

export type CheckOutcome = 'completed' | 'in-progress' | 'failed' | 'retry' | 'skipped';

export interface Checked {
  outcome: CheckOutcome;
  /** The request as last read or written; undefined if it no longer exists. */
  request: InvalidationRequest | undefined;
}

/**
 * How long one GetInvalidation may take before it is aborted. A check is cheap
 * to repeat at the next slot, so a hung call is given up quickly instead of
 * holding its run; an aborted call is transient (docs/architecture.md, "Deadlines").
 */
export const CHECK_DEADLINE_MS = 3_000;

export interface CheckOptions {
  /** Abort each GetInvalidation after this long (default CHECK_DEADLINE_MS), e.g. less near the Lambda's end. */
  deadlineMs?: number;
}

/** The check timetable the settings ask for: POLL_INTERVAL_MS is its longest pause. */
export function checkSchedule(settings: Pick<BotSettings, 'pollIntervalMs'>): CheckSchedule {
  return { maxIntervalMs: settings.pollIntervalMs };
}

/**
 * Asks CloudFront how a submitted invalidation is doing (each batch still in
 * progress, for a split request) and records the answer.
 *
 * The check first claims its slot (one conditional write that books the next
 * one), so overlapping runs and kicks make one round of GetInvalidation per
 * slot; the answer is written only when it changes something (see
 * `recordCheck`): one write per check, two when it completes. `request` is as
 * the caller got it from the store: a stale copy only costs the claim a
 * re-read, and a `skipped` outcome returns the fresh copy (not due yet, or
 * another caller won the slot).
 */
export async function checkInvalidation(
  deps: BotDeps,
  request: InvalidationRequest,
  options: CheckOptions = {},
): Promise<Checked> {
  const skipped: Checked = { outcome: 'skipped', request };
  if (request.status !== 'SUBMITTED') return skipped;
  // A split request's batches that CloudFront is still working on; none while the next waits its turn.
  if (batchesInProgress(request).length === 0) return skipped;
  const schedule = checkSchedule(deps.settings);
  const claimed = await deps.store.update(
    request.id,
    (r) => asChange(claimCheck(r, deps.clock.now(), schedule)),
    request,
  );
  if (claimed.kind === 'missing') return { outcome: 'skipped', request: undefined };
  if (claimed.kind !== 'written') return { outcome: 'skipped', request: claimed.request };
  const mine = claimed.request;
  const running = batchesInProgress(mine);
  const statuses: BatchStatus[] = [];
  let failure: GatewayError | undefined;
  for (const batch of running) {
    const answer = await withDeadline('GetInvalidation', options.deadlineMs ?? CHECK_DEADLINE_MS, (signal) =>
      deps.gateway.get(distributionTarget(mine), batch.invalidationId, { signal }),
    );
    if (!answer.ok) {
      failure = answer.error;
      if (answer.error.kind === 'permanent') break;
      continue;
    }
    statuses.push({ number: batch.number, status: answer.value.status });
  }
  const result: GatewayResult<BatchStatus[]> =
    failure !== undefined && (failure.kind === 'permanent' || statuses.length === 0)
      ? { ok: false, error: failure }
      : { ok: true, value: statuses };
  if (!result.ok) {
    // A transient error (an aborted call included) just means "ask again at the booked slot";
    // a permanent one (the invalidation or distribution is gone, access revoked) will not heal.
    if (result.error.kind === 'transient') {
      deps.log.warn('status check deferred', { requestId: mine.id, code: result.error.code });
      return { outcome: 'retry', request: mine };
    }
    const written = await deps.store.update(
      mine.id,
      (r) => asChange(fail(r, result.error, deps.clock.now())),
      mine,
    );
    if (written.kind === 'missing') return { outcome: 'skipped', request: undefined };
    return { outcome: written.kind === 'written' ? 'failed' : 'skipped', request: written.request };
  }
  const timing = { stillInProgressAfterMs: deps.settings.stillInProgressAfterMs };
  const written = await deps.store.update(
    mine.id,
    (r) => asChange(recordCheck(r, result.value, deps.clock.now(), timing)),
    mine,
  );
  if (written.kind === 'missing') return { outcome: 'skipped', request: undefined };
  if (written.request.status === 'COMPLETED') {
    return { outcome: written.kind === 'written' ? 'completed' : 'skipped', request: written.request };
  }
  return {
    outcome: written.request.status === 'SUBMITTED' ? 'in-progress' : 'skipped',
    request: written.request,
  };
}

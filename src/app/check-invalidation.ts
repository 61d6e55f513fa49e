import { type BatchStatus, fail, isDue, recordCheck } from '../domain/lifecycle';
import type { InvalidationRequest } from '../domain/request';
import { batchesInProgress } from '../domain/request-batches';
import { asChange } from './as-change';
import type { BotDeps } from './deps';
import { distributionTarget } from './distribution-target';
import type { GatewayError, GatewayResult } from './ports';

export type CheckOutcome = 'completed' | 'in-progress' | 'failed' | 'retry' | 'skipped';

export interface Checked {
  outcome: CheckOutcome;
  /** The request as last read or written; undefined if it no longer exists. */
  request: InvalidationRequest | undefined;
}

/**
 * Asks CloudFront how a submitted invalidation is doing and records the answer.
 * `request` is as the caller got it from the store (the poller's due list); the
 * record is conditional, so a stale copy only costs a re-read.
 */
export async function checkInvalidation(deps: BotDeps, request: InvalidationRequest): Promise<Checked> {
  const skipped: Checked = { outcome: 'skipped', request };
  if (request.status !== 'SUBMITTED') return skipped;
  // A split request's batches that CloudFront is still working on; none while the next waits its turn.
  const running = batchesInProgress(request);
  if (running.length === 0) return skipped;
  if (!isDue(request, deps.clock.now())) return skipped;
  const observed = request.lastCheckedAt;
  const statuses: BatchStatus[] = [];
  let failure: GatewayError | undefined;
  for (const batch of running) {
    const answer = await deps.gateway.get(distributionTarget(request), batch.invalidationId);
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
    // A transient error just means "ask again next time"; a permanent one (the
    // invalidation or distribution is gone, access revoked) will not heal.
    if (result.error.kind === 'transient') return { outcome: 'retry', request };
    const written = await deps.store.update(
      request.id,
      (r) => asChange(fail(r, result.error, deps.clock.now())),
      request,
    );
    if (written.kind === 'missing') return { outcome: 'skipped', request: undefined };
    return { outcome: written.kind === 'written' ? 'failed' : 'skipped', request: written.request };
  }
  const timing = {
    recheckMs: deps.settings.pollIntervalMs,
    stillInProgressAfterMs: deps.settings.stillInProgressAfterMs,
  };
  const written = await deps.store.update(
    request.id,
    (r) => asChange(recordCheck(r, result.value, observed, deps.clock.now(), timing)),
    request,
  );
  if (written.kind === 'missing') return { outcome: 'skipped', request: undefined };
  if (written.kind !== 'written') return { outcome: 'skipped', request: written.request };
  return {
    outcome: written.request.status === 'COMPLETED' ? 'completed' : 'in-progress',
    request: written.request,
  };
}

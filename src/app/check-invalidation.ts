import { fail, isDue, recordCheck } from '../domain/lifecycle';
import type { InvalidationRequest } from '../domain/request';
import { asChange } from './as-change';
import type { BotDeps } from './deps';
import { distributionTarget } from './distribution-target';

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
  if (request.status !== 'SUBMITTED' || request.invalidationId === undefined) return skipped;
  if (!isDue(request, deps.clock.now())) return skipped;
  const observed = request.lastCheckedAt;
  const result = await deps.gateway.get(distributionTarget(request), request.invalidationId);
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
    (r) => asChange(recordCheck(r, result.value.status, observed, deps.clock.now(), timing)),
    request,
  );
  if (written.kind === 'missing') return { outcome: 'skipped', request: undefined };
  if (written.kind !== 'written') return { outcome: 'skipped', request: written.request };
  return {
    outcome: written.request.status === 'COMPLETED' ? 'completed' : 'in-progress',
    request: written.request,
  };
}

import { fail, isDue, recordCheck } from '../domain/lifecycle';
import type { InvalidationRequest } from '../domain/request';
import { asChange } from './as-change';
import type { BotDeps } from './deps';
import { distributionTarget } from './distribution-target';

export type CheckOutcome = 'completed' | 'in-progress' | 'failed' | 'retry' | 'skipped';

/** Asks CloudFront how a submitted invalidation is doing and records the answer. */
export async function checkInvalidation(deps: BotDeps, request: InvalidationRequest): Promise<CheckOutcome> {
  if (request.status !== 'SUBMITTED' || request.invalidationId === undefined) return 'skipped';
  if (!isDue(request, deps.clock.now())) return 'skipped';
  const observed = request.lastCheckedAt;
  const result = await deps.gateway.get(distributionTarget(request), request.invalidationId);
  if (!result.ok) {
    // A transient error just means "ask again next time"; a permanent one (the
    // invalidation or distribution is gone, access revoked) will not heal.
    if (result.error.kind === 'transient') return 'retry';
    const written = await deps.store.update(request.id, (r) =>
      asChange(fail(r, result.error, deps.clock.now())),
    );
    return written.kind === 'written' ? 'failed' : 'skipped';
  }
  const timing = {
    recheckMs: deps.settings.pollIntervalMs,
    stillInProgressAfterMs: deps.settings.stillInProgressAfterMs,
  };
  const written = await deps.store.update(request.id, (r) =>
    asChange(recordCheck(r, result.value.status, observed, deps.clock.now(), timing)),
  );
  if (written.kind !== 'written') return 'skipped';
  return written.request.status === 'COMPLETED' ? 'completed' : 'in-progress';
}

import {
  claimForSubmission,
  deferSubmission,
  fail,
  recordSubmission,
  type Transition,
} from '../domain/lifecycle';
import type { InvalidationRequest } from '../domain/request';
import { asChange } from './as-change';
import type { BotDeps } from './deps';
import { distributionTarget } from './distribution-target';

/** `skipped`: nothing to do (not approved, or another caller holds the submission lease). */
export type SubmitOutcome = 'submitted' | 'deferred' | 'failed' | 'skipped';

/**
 * Submits an approved request to CloudFront. The claim is a conditional write,
 * so of all concurrent triggers (the approval that crossed the threshold, the
 * poller) only one calls CreateInvalidation; a crash after the claim is retried
 * by the poller when the lease runs out, with the same CallerReference (the
 * request id), and CloudFront then returns the existing invalidation.
 */
export async function submitInvalidation(deps: BotDeps, requestId: string): Promise<SubmitOutcome> {
  const claimed = await deps.store.update(requestId, (r) =>
    asChange(claimForSubmission(r, deps.clock.now())),
  );
  if (claimed.kind !== 'written') return 'skipped';
  const request = claimed.request;

  const result = await deps.gateway.submit(distributionTarget(request), request.id, request.paths);
  const logFields = { requestId, distribution: request.distributionAlias };

  let outcome: SubmitOutcome;
  let record: (r: InvalidationRequest) => Transition;
  if (result.ok) {
    deps.log.info('invalidation submitted', { ...logFields, invalidationId: result.value.invalidationId });
    outcome = 'submitted';
    record = (r) => recordSubmission(r, result.value, deps.clock.now());
  } else if (result.error.kind === 'transient') {
    deps.log.warn('invalidation deferred', { ...logFields, code: result.error.code });
    outcome = 'deferred';
    record = (r) => deferSubmission(r, result.error, deps.clock.now());
  } else {
    deps.log.error('invalidation failed', { ...logFields, code: result.error.code });
    outcome = 'failed';
    record = (r) => fail(r, result.error, deps.clock.now());
  }
  const written = await deps.store.update(requestId, (r) => asChange(record(r)));
  return written.kind === 'written' ? outcome : 'skipped';
}

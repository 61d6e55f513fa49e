import { claimForSubmission, deferSubmission, fail, recordSubmission } from '../domain/lifecycle';
import type { InvalidationRequest } from '../domain/request';
import { asChange } from './as-change';
import type { BotDeps } from './deps';

export type SubmitOutcome =
  | { kind: 'submitted'; request: InvalidationRequest }
  | { kind: 'deferred'; request: InvalidationRequest }
  | { kind: 'failed'; request: InvalidationRequest }
  | { kind: 'skipped'; reason: string };

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
  if (claimed.kind === 'missing') return { kind: 'skipped', reason: 'missing' };
  if (claimed.kind === 'stopped')
    return { kind: 'skipped', reason: claimed.result?.message ?? 'not claimable' };
  const request = claimed.request;

  const result = await deps.gateway.submit(
    { distributionId: request.distributionId, ...(request.roleArn ? { roleArn: request.roleArn } : {}) },
    request.id,
    request.paths,
  );
  const logFields = { requestId, distribution: request.distributionAlias };

  if (result.ok) {
    deps.log.info('invalidation submitted', { ...logFields, invalidationId: result.value.invalidationId });
    const written = await deps.store.update(requestId, (r) =>
      asChange(recordSubmission(r, result.value, deps.clock.now())),
    );
    return written.kind === 'written'
      ? { kind: 'submitted', request: written.request }
      : { kind: 'skipped', reason: 'state changed during submission' };
  }

  const { error } = result;
  if (error.kind === 'transient') {
    deps.log.warn('invalidation deferred', { ...logFields, code: error.code });
    const written = await deps.store.update(requestId, (r) =>
      asChange(deferSubmission(r, error, deps.clock.now())),
    );
    return written.kind === 'written'
      ? { kind: 'deferred', request: written.request }
      : { kind: 'skipped', reason: 'state changed during submission' };
  }

  deps.log.error('invalidation failed', { ...logFields, code: error.code });
  const written = await deps.store.update(requestId, (r) => asChange(fail(r, error, deps.clock.now())));
  return written.kind === 'written'
    ? { kind: 'failed', request: written.request }
    : { kind: 'skipped', reason: 'state changed during submission' };
}

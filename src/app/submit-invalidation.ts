import { batchItems, callerReference } from '../domain/batches';
import type { Transition } from '../domain/lifecycle';
import type { InvalidationRequest } from '../domain/request';
import { batchToSubmit } from '../domain/request-batches';
import { claimForSubmission, deferSubmission, fail, recordSubmission } from '../domain/submission';
import { asChange } from './as-change';
import { withDeadline } from './call-deadline';
import { checkSchedule } from './check-invalidation';
import type { BotDeps } from './deps';
import { distributionTarget } from './distribution-target';

/** `skipped`: nothing to do (not approved, or another caller holds the submission lease). */
export type SubmitOutcome = 'submitted' | 'deferred' | 'failed' | 'skipped';

/**
 * How long one CreateInvalidation may take before it is aborted. An aborted
 * submission is transient: it is retried with the same CallerReference, so one
 * that CloudFront did receive is returned, not created twice.
 */
export const SUBMIT_DEADLINE_MS = 10_000;

export interface SubmitOptions {
  /** Abort the CreateInvalidation after this long (default SUBMIT_DEADLINE_MS). */
  deadlineMs?: number;
}

export interface Submitted {
  outcome: SubmitOutcome;
  /** The request as last read or written; undefined if it does not exist. */
  request: InvalidationRequest | undefined;
}

/**
 * Submits an approved request to CloudFront, or the next batch of a split one
 * (batch n with CallerReference `<id>-<n>`, see domain/batches). The claim is a conditional write,
 * so of all concurrent triggers (the approval that crossed the threshold, the
 * poller) only one calls CreateInvalidation; a crash after the claim is retried
 * by the poller when the lease runs out, with the same CallerReference (the
 * request id), and CloudFront then returns the existing invalidation.
 *
 * `known` is the request as the caller last got it from the store: the claim
 * decides on it without a read. Deciding "not yet" on a moment-old copy is
 * safe: whoever moves the request on submits it, and the poller retries.
 */
export async function submitInvalidation(
  deps: BotDeps,
  known: InvalidationRequest,
  options: SubmitOptions = {},
): Promise<Submitted> {
  const requestId = known.id;
  const claimed = await deps.store.update(
    requestId,
    (r) => asChange(claimForSubmission(r, deps.clock.now())),
    known,
  );
  if (claimed.kind === 'missing') return { outcome: 'skipped', request: undefined };
  if (claimed.kind !== 'written') return { outcome: 'skipped', request: claimed.request };
  const request = claimed.request;
  // The claim checked there is one; a request split into batches sends the next one the budget allows.
  const batch = batchToSubmit(request);
  if (batch === undefined) return { outcome: 'skipped', request };

  const result = await withDeadline(
    'CreateInvalidation',
    options.deadlineMs ?? SUBMIT_DEADLINE_MS,
    (signal) =>
      deps.gateway.submit(
        distributionTarget(request),
        callerReference(request.id, batch.number),
        batchItems(request.paths, batch),
        {
          signal,
          // CloudTrail names the request, its requester and approvers (README, "IAM").
          attribution: {
            requestId: request.id,
            requesterId: request.requesterId,
            approverIds: request.approvals.map((a) => a.userId),
          },
        },
      ),
  );
  const logFields = { requestId, distribution: request.distributionAlias, batch: batch.number };

  let outcome: SubmitOutcome;
  let record: (r: InvalidationRequest) => Transition;
  if (result.ok) {
    deps.log.info('invalidation submitted', { ...logFields, invalidationId: result.value.invalidationId });
    outcome = 'submitted';
    record = (r) =>
      recordSubmission(r, result.value, deps.clock.now(), checkSchedule(deps.settings), batch.number);
  } else if (result.error.kind === 'transient') {
    deps.log.warn('invalidation deferred', { ...logFields, code: result.error.code });
    outcome = 'deferred';
    record = (r) => deferSubmission(r, result.error, deps.clock.now());
  } else {
    deps.log.error('invalidation failed', { ...logFields, code: result.error.code });
    outcome = 'failed';
    record = (r) => fail(r, result.error, deps.clock.now());
  }
  const written = await deps.store.update(requestId, (r) => asChange(record(r)), request);
  if (written.kind === 'missing') return { outcome: 'skipped', request: undefined };
  return { outcome: written.kind === 'written' ? outcome : 'skipped', request: written.request };
}

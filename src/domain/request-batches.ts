import { type Batch, type BatchProgress, isBatchDone, nextBatch, planBatches } from './batches';
import type { InvalidationRequest } from './request';

/**
 * A request's batches as the lifecycle sees them: the plan (a pure function
 * of its items) and what CloudFront has so far.
 */

/** Never empty: a request with no items left to send is still one invalidation to follow. */
export function requestBatches(request: InvalidationRequest): Batch[] {
  const plan = planBatches(request.paths);
  return plan.length > 0 ? plan : [{ number: 1, start: 0, end: 0, wildcards: 0 }];
}

/**
 * Batches CloudFront has. A request submitted before batches were recorded has
 * one, the invalidation it names.
 */
export function submittedBatches(request: InvalidationRequest): BatchProgress[] {
  if (request.batches !== undefined) return request.batches;
  if (request.invalidationId === undefined) return [];
  return [
    {
      number: 1,
      invalidationId: request.invalidationId,
      status: request.cloudFrontStatus ?? 'InProgress',
      submittedAt: request.submittedAt ?? request.updatedAt,
      ...(request.completedAt !== undefined ? { completedAt: request.completedAt } : {}),
    },
  ];
}

export function batchesInProgress(request: InvalidationRequest): BatchProgress[] {
  return submittedBatches(request).filter((b) => !isBatchDone(b));
}

/** The batch to submit next, if the in-progress budget allows one now. */
export function batchToSubmit(request: InvalidationRequest): Batch | undefined {
  return nextBatch(requestBatches(request), submittedBatches(request));
}

/** How far the request has come, for the card: "batch 2 of 4". */
export function batchCounts(request: InvalidationRequest): {
  total: number;
  submitted: number;
  completed: number;
} {
  const submitted = submittedBatches(request);
  return {
    total: Math.max(1, requestBatches(request).length),
    submitted: submitted.length,
    completed: submitted.filter(isBatchDone).length,
  };
}

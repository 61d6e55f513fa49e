import { itemKind } from './tags';

/**
 * A request larger than one invalidation is split into batches CloudFront
 * accepts (README "Limits"). Batches are cut in input order, so the plan is a
 * pure function of the items: every retry, on any Lambda, computes the same
 * batches, and batch n always has the same CallerReference.
 */

export const BATCH_LIMITS = {
  /** CloudFront: individual items in progress per distribution, so per invalidation too. */
  maxItems: 3_000,
  /** CloudFront: wildcard paths in progress per distribution. */
  maxWildcards: 15,
} as const;

export interface Batch {
  /** 1-based. */
  number: number;
  /** Index of the first item in the request's list; the batch is items[start, end). */
  start: number;
  end: number;
  wildcards: number;
}

export function isWildcard(item: string): boolean {
  return itemKind(item) === 'path' && item.endsWith('*');
}

/** Greedy, in order: a batch closes when one more item would pass either limit. */
export function planBatches(items: readonly string[]): Batch[] {
  const batches: Batch[] = [];
  let start = 0;
  let wildcards = 0;
  for (let i = 0; i < items.length; i++) {
    const wild = isWildcard(items[i] ?? '') ? 1 : 0;
    if (i - start + 1 > BATCH_LIMITS.maxItems || wildcards + wild > BATCH_LIMITS.maxWildcards) {
      batches.push({ number: batches.length + 1, start, end: i, wildcards });
      start = i;
      wildcards = 0;
    }
    wildcards += wild;
  }
  if (items.length > start) batches.push({ number: batches.length + 1, start, end: items.length, wildcards });
  return batches;
}

export function batchItems(items: readonly string[], batch: Batch): string[] {
  return items.slice(batch.start, batch.end);
}

/** Batch 1 is the request id (as before batches existed), batch n is `<id>-<n>`. */
export function callerReference(requestId: string, batchNumber: number): string {
  return batchNumber === 1 ? requestId : `${requestId}-${batchNumber}`;
}

/** What the request records of a batch once CloudFront has it. */
export interface BatchProgress {
  number: number;
  invalidationId: string;
  /** CloudFront's last word: `InProgress` or `Completed`. */
  status: string;
  submittedAt: string;
  completedAt?: string;
}

export function isBatchDone(progress: BatchProgress): boolean {
  return progress.status === 'Completed';
}

/**
 * The next batch to submit, if the in-progress budget allows it: this
 * request's batches still running plus the next one must stay within
 * CloudFront's per-distribution limits. Other requests on the same
 * distribution use the same budget; CloudFront answers those with
 * TooManyInvalidationsInProgress, which queues the batch.
 */
export function nextBatch(plan: readonly Batch[], progress: readonly BatchProgress[]): Batch | undefined {
  const submitted = new Set(progress.map((p) => p.number));
  const next = plan.find((b) => !submitted.has(b.number));
  if (next === undefined) return undefined;
  let items = 0;
  let wildcards = 0;
  for (const p of progress) {
    if (isBatchDone(p)) continue;
    const b = plan[p.number - 1];
    if (b === undefined) continue;
    items += b.end - b.start;
    wildcards += b.wildcards;
  }
  if (items + (next.end - next.start) > BATCH_LIMITS.maxItems) return undefined;
  if (wildcards + next.wildcards > BATCH_LIMITS.maxWildcards) return undefined;
  return next;
}

/** Every batch of the plan is submitted and Completed. */
export function allBatchesDone(plan: readonly Batch[], progress: readonly BatchProgress[]): boolean {
  const done = new Set(progress.filter(isBatchDone).map((p) => p.number));
  return plan.every((b) => done.has(b.number));
}

import type { InvalidationRequest, Notice } from '../domain/request';

/**
 * When the poller next has to look at a request, or `undefined` when it never
 * has to (it is then left out of the sparse `active` index).
 *
 * - PENDING: at `decideBy`, to expire it, or at `remindAt` for its one reminder, if sooner.
 * - APPROVED / SUBMITTED: at `nextAttemptAt` (submission retry or status check),
 *   else straight away.
 * - Any status with notices owed: when the first notice may be delivered.
 * - The earlier of the two when both apply.
 *
 * "Straight away" is the time of the write that made the request due
 * (`updatedAt`, or the notice's `createdAt`), not the wall clock: the store has
 * no clock of its own, and any moment at or before the write is already past
 * for the poller. It also keeps the poller's order fair: longest waiting first.
 */
export function nextDueAt(request: InvalidationRequest): string | undefined {
  const times: string[] = [];
  if (request.status === 'PENDING') times.push(request.decideBy);
  if (request.status === 'PENDING' && request.remindAt !== undefined) times.push(request.remindAt);
  if (request.status === 'APPROVED' || request.status === 'SUBMITTED') {
    times.push(request.nextAttemptAt ?? request.updatedAt);
  }
  for (const notice of request.outbox) times.push(noticeDueAt(notice));
  return earliest(times);
}

/** A notice waits out both its back-off and any deliverer's lease on it. */
function noticeDueAt(notice: Notice): string {
  const holds = [notice.notBefore, notice.claimedUntil].filter((t): t is string => t !== undefined);
  if (holds.length === 0) return notice.createdAt;
  return new Date(Math.max(...holds.map(toMillis))).toISOString();
}

function earliest(times: readonly string[]): string | undefined {
  if (times.length === 0) return undefined;
  return new Date(Math.min(...times.map(toMillis))).toISOString();
}

function toMillis(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`not a time: ${iso}`);
  return ms;
}

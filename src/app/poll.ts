import { expire, isExpired } from '../domain/lifecycle';
import { isReminderDue, remind } from '../domain/reminder';
import type { InvalidationRequest } from '../domain/request';
import { batchToSubmit } from '../domain/request-batches';
import { asChange } from './as-change';
import { checkInvalidation } from './check-invalidation';
import { deliverNotices } from './deliver-notices';
import type { BotDeps } from './deps';
import { submitInvalidation } from './submit-invalidation';

export interface PollRound {
  /** Requests that were due in this round. */
  due: number;
  /** Of those, how many are still in flight (APPROVED or SUBMITTED) afterwards. */
  inFlight: number;
  /** When the earliest of those is next due (a re-check, or a retry after back-off). */
  nextDueAt?: Date;
}

/** One request's next step; returns it as it stands afterwards (undefined if it is gone). */
async function advance(
  deps: BotDeps,
  request: InvalidationRequest,
): Promise<InvalidationRequest | undefined> {
  let latest: InvalidationRequest | undefined = request;
  switch (request.status) {
    case 'PENDING':
      if (isExpired(request, deps.clock.now())) {
        const expired = await deps.store.update(
          request.id,
          (r) => asChange(expire(r, deps.clock.now())),
          request,
        );
        latest = expired.kind === 'missing' ? undefined : expired.request;
      } else if (isReminderDue(request, deps.clock.now())) {
        const reminded = await deps.store.update(
          request.id,
          (r) => asChange(remind(r, deps.clock.now())),
          request,
        );
        latest = reminded.kind === 'missing' ? undefined : reminded.request;
      }
      break;
    case 'APPROVED':
      latest = (await submitInvalidation(deps, request)).request;
      break;
    case 'SUBMITTED': {
      latest = (await checkInvalidation(deps, request)).request;
      // A split request: a batch that finished may have made room for the next one.
      if (latest?.status === 'SUBMITTED' && batchToSubmit(latest) !== undefined) {
        latest = (await submitInvalidation(deps, latest)).request;
      }
      break;
    }
    default:
      break;
  }
  return latest === undefined ? undefined : deliverNotices(deps, latest);
}

/** One pass over everything due: expire, submit, check, deliver what Slack is owed. */
export async function pollOnce(deps: BotDeps): Promise<PollRound> {
  const due = await deps.store.listDue(deps.clock.now());
  let inFlight = 0;
  let nextDueMs = Number.POSITIVE_INFINITY;
  for (const request of due) {
    try {
      const after = await advance(deps, request);
      if (after && (after.status === 'APPROVED' || after.status === 'SUBMITTED')) {
        inFlight++;
        const at = after.nextAttemptAt ? Date.parse(after.nextAttemptAt) : deps.clock.now().getTime();
        nextDueMs = Math.min(nextDueMs, at);
      }
    } catch (error) {
      // One broken request must not starve the others; it stays due and is retried next round.
      deps.log.error('poll failed for request', { requestId: request.id, error });
    }
  }
  return { due: due.length, inFlight, ...(inFlight > 0 ? { nextDueAt: new Date(nextDueMs) } : {}) };
}

export interface PollRun {
  rounds: number;
  due: number;
}

/**
 * A scheduled run: keeps re-checking every `pollIntervalMs` while anything is
 * in flight, so completion is reported within seconds rather than at the next
 * minute's run, and stops early when nothing is. The budget uses real elapsed
 * time, independent of the injected clock.
 */
export async function runPoller(
  deps: BotDeps,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<PollRun> {
  const started = performance.now();
  let rounds = 0;
  let due = 0;
  for (;;) {
    const round = await pollOnce(deps);
    rounds++;
    due += round.due;
    if (round.inFlight === 0) break;
    // Sleep until the next in-flight request is due (a back-off may be longer than the interval),
    // as long as that is within this run's budget; otherwise the next scheduled run takes it.
    const untilDue = (round.nextDueAt?.getTime() ?? 0) - deps.clock.now().getTime();
    const pause = Math.max(deps.settings.pollIntervalMs, untilDue);
    if (performance.now() - started + pause > deps.settings.pollBudgetMs) break;
    await sleep(pause);
  }
  return { rounds, due };
}

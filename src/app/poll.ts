import { expire, isExpired } from '../domain/lifecycle';
import type { InvalidationRequest } from '../domain/request';
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
}

async function advance(deps: BotDeps, request: InvalidationRequest): Promise<InvalidationRequest['status']> {
  const now = deps.clock.now();
  switch (request.status) {
    case 'PENDING':
      if (isExpired(request, now))
        await deps.store.update(request.id, (r) => asChange(expire(r, deps.clock.now())));
      break;
    case 'APPROVED':
      await submitInvalidation(deps, request.id);
      break;
    case 'SUBMITTED':
      await checkInvalidation(deps, request);
      break;
    default:
      break;
  }
  await deliverNotices(deps, request.id);
  return (await deps.store.get(request.id))?.status ?? request.status;
}

/** One pass over everything due: expire, submit, check, deliver what Slack is owed. */
export async function pollOnce(deps: BotDeps): Promise<PollRound> {
  const due = await deps.store.listDue(deps.clock.now());
  let inFlight = 0;
  for (const request of due) {
    try {
      const status = await advance(deps, request);
      if (status === 'APPROVED' || status === 'SUBMITTED') inFlight++;
    } catch (error) {
      // One broken request must not starve the others; it stays due and is retried next round.
      deps.log.error('poll failed for request', { requestId: request.id, error: String(error) });
    }
  }
  return { due: due.length, inFlight };
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
    if (performance.now() - started + deps.settings.pollIntervalMs > deps.settings.pollBudgetMs) break;
    await sleep(deps.settings.pollIntervalMs);
  }
  return { rounds, due };
}

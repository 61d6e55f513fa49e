import { expire, isExpired } from '../domain/lifecycle';
import { isReminderDue, remind } from '../domain/reminder';
import type { InvalidationRequest, Notice } from '../domain/request';
import { batchToSubmit } from '../domain/request-batches';
import { isDue } from '../domain/submission';
import { asChange } from './as-change';
import { CHECK_DEADLINE_MS, checkInvalidation } from './check-invalidation';
import { deliverNotices } from './deliver-notices';
import type { BotDeps } from './deps';
import type { RunBudget } from './run-budget';
import { SUBMIT_DEADLINE_MS, submitInvalidation } from './submit-invalidation';

/**
 * One request's due work, once: expire it if its decision deadline passed (or
 * remind its approvers when that is due),
 * submit it if approved, check it if a status check is due, then deliver what
 * Slack is owed. Each CloudFront call gets its own deadline, within the
 * Lambda's remaining time; a call with no time left is not started (the next
 * run makes it). `held`: notices the caller already holds (a kick's), delivered
 * without a claim. Returns the request as it stands afterwards (undefined if it is gone).
 */
export async function advanceRequest(
  deps: BotDeps,
  request: InvalidationRequest,
  budget: RunBudget,
  held: readonly Notice[] = [],
): Promise<InvalidationRequest | undefined> {
  const now = deps.clock.now();
  let latest: InvalidationRequest | undefined = request;
  switch (request.status) {
    case 'PENDING':
      if (isExpired(request, now)) {
        const expired = await deps.store.update(
          request.id,
          (r) => asChange(expire(r, deps.clock.now())),
          request,
        );
        latest = expired.kind === 'missing' ? undefined : expired.request;
      } else if (isReminderDue(request, now)) {
        const reminded = await deps.store.update(
          request.id,
          (r) => asChange(remind(r, deps.clock.now())),
          request,
        );
        latest = reminded.kind === 'missing' ? undefined : reminded.request;
      }
      break;
    case 'APPROVED': {
      const deadlineMs = budget.callDeadlineMs(SUBMIT_DEADLINE_MS);
      if (isDue(request, now) && deadlineMs > 0) {
        latest = (await submitInvalidation(deps, request, { deadlineMs })).request;
      }
      break;
    }
    case 'SUBMITTED': {
      const deadlineMs = budget.callDeadlineMs(CHECK_DEADLINE_MS);
      if (isDue(request, now) && deadlineMs > 0) {
        latest = (await checkInvalidation(deps, request, { deadlineMs })).request;
        // A split request: a batch that finished may have made room for the next one.
        const submitMs = budget.callDeadlineMs(SUBMIT_DEADLINE_MS);
        if (latest?.status === 'SUBMITTED' && batchToSubmit(latest) !== undefined && submitMs > 0) {
          latest = (await submitInvalidation(deps, latest, { deadlineMs: submitMs })).request;
        }
      }
      break;
    }
    default:
      break;
  }
  return latest === undefined ? undefined : deliverNotices(deps, latest, held);
}

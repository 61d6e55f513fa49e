import type { InvalidationRequest, Notice } from '../domain/request';
import { deliverNotices } from './deliver-notices';
import type { BotDeps } from './deps';
import { submitInvalidation } from './submit-invalidation';

/**
 * After a change made in a Slack request: submit right away if the request is
 * now approved, then tell Slack what it is owed. `request` is the request as
 * the change left it, so neither step starts with a read; `held` are notices
 * the caller already holds (a new request's card). Anything that fails
 * here is still queued in the item and the poller finishes it. Returns the
 * request as it stands afterwards (undefined if it does not exist).
 */
export async function settle(
  deps: BotDeps,
  request: InvalidationRequest,
  held: readonly Notice[] = [],
): Promise<InvalidationRequest | undefined> {
  const submitted = await submitInvalidation(deps, request);
  return submitted.request === undefined ? undefined : deliverNotices(deps, submitted.request, held);
}

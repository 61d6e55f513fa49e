import type { InvalidationRequest } from '../domain/request';
import { deliverNotices } from './deliver-notices';
import type { BotDeps } from './deps';
import { submitInvalidation } from './submit-invalidation';

/**
 * After a change made in a Slack request: submit right away if the request is
 * now approved, then tell Slack what it is owed. Anything that fails here is
 * still queued in the item and the poller finishes it. Returns the request as
 * it stands afterwards (undefined if it does not exist).
 */
export async function settle(deps: BotDeps, requestId: string): Promise<InvalidationRequest | undefined> {
  // The claim itself checks that the request is approved and due: no separate read first.
  await submitInvalidation(deps, requestId);
  return deliverNotices(deps, requestId);
}

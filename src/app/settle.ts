import { deliverNotices } from './deliver-notices';
import type { BotDeps } from './deps';
import { submitInvalidation } from './submit-invalidation';

/**
 * After a change made in a Slack request: submit right away if the request is
 * now approved, then tell Slack what it is owed. Anything that fails here is
 * still queued in the item and the poller finishes it.
 */
export async function settle(deps: BotDeps, requestId: string): Promise<void> {
  // The claim itself checks that the request is approved and due: no separate read first.
  await submitInvalidation(deps, requestId);
  await deliverNotices(deps, requestId);
}

import type { BotDeps } from '../../../app/deps';
import { openRequestModal } from '../commands/open-request-modal';
import { modalButtonListener } from './modal-button-click';

/** "Request again" on a card that reached an end: the request form, filled in as that request was. */
export function requestAgainHandler(deps: BotDeps) {
  return modalButtonListener(deps, 'request-again', async (click, client) => {
    const { userId, requestId, triggerId, channelId, tell } = click;
    const previous = await deps.store.get(requestId).catch((error: unknown) => {
      deps.log.error('request-again read failed', { requestId, error });
      return undefined;
    });
    if (!previous)
      return await tell('I cannot find that request any more; start a new one with `/invalidate`.');
    const opened = await openRequestModal(deps, client, {
      triggerId,
      userId,
      ...(channelId !== undefined ? { channelId } : {}),
      alias: previous.distributionAlias,
      paths: previous.paths.join('\n'),
      reason: previous.reason,
    });
    if (!opened) await tell('I could not open the form. Please click *Request again* once more.');
  });
}

import type { WebClient } from '@slack/web-api';
import type { InvalidationRequest } from '../domain/request';
import { permalinks } from './delivery/permalinks';
import { errorMessage } from './messages/errors';
import type { SlackMessage } from './messages/slack-message';
import { requestStatusMessage } from './messages/status';

/** What the requester is told once their request is recorded: where it is and what happens next. */
export async function confirmation(
  client: WebClient,
  request: InvalidationRequest | undefined,
): Promise<SlackMessage> {
  if (!request)
    return errorMessage('Your request was recorded, but I cannot find it now. Try `/invalidate status`.');
  const links = await permalinks(client, [request]);
  const status = requestStatusMessage(request, links[request.id]);
  const posted = request.cardTs === undefined ? ' The approval card will be posted shortly.' : '';
  return { ...status, text: `Request recorded.${posted} ${status.text}` };
}

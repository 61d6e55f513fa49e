import type { WebClient } from '@slack/web-api';
import type { BotDeps } from '../../../app/deps';
import { permalinks } from '../../delivery/permalinks';
import { errorMessage } from '../../messages/errors';
import { escapeMrkdwn } from '../../messages/mrkdwn';
import type { SlackMessage } from '../../messages/slack-message';
import { recentRequestsMessage, requestStatusMessage } from '../../messages/status';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/i;

/** `/invalidate status [id]`: one request in detail, or this person's recent requests. */
export async function statusReply(
  deps: BotDeps,
  client: WebClient,
  userId: string,
  id?: string,
): Promise<SlackMessage> {
  if (id !== undefined) {
    if (!ULID.test(id)) {
      return errorMessage(
        `\`${escapeMrkdwn(id)}\` is not a request id. Ids look like \`01JD2X3Y4Z5A6B7C8D9E0F1G2H\`.`,
      );
    }
    const request = await deps.store.get(id.toUpperCase());
    if (!request) return errorMessage(`No request with id \`${escapeMrkdwn(id)}\`.`);
    const links = await permalinks(client, [request]);
    return requestStatusMessage(request, links[request.id]);
  }
  const mine = await deps.store.listByRequester(userId, 20);
  return recentRequestsMessage(mine, await permalinks(client, mine));
}

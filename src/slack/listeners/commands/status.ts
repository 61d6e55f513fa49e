import { type FindRequestDeps, findRequest, recentRequests } from '../../../app/find-request';
import { storedPermalinks } from '../../delivery/permalinks';
import { errorMessage } from '../../messages/errors';
import { escapeMrkdwn } from '../../messages/mrkdwn';
import type { SlackMessage } from '../../messages/slack-message';
import { recentRequestsMessage, requestStatusMessage } from '../../messages/status';

/** `/invalidate status [id]`: one request in detail, or this person's recent requests. */
export async function statusReply(deps: FindRequestDeps, userId: string, id?: string): Promise<SlackMessage> {
  if (id !== undefined) {
    const request = await findRequest(deps, userId, id.toUpperCase());
    if (!request) {
      return errorMessage(
        `No request \`${escapeMrkdwn(id)}\`. Use the full id, or the short id shown in \`/invalidate status\` for your own requests.`,
      );
    }
    return requestStatusMessage(request, storedPermalinks([request])[request.id]);
  }
  const mine = await recentRequests(deps, userId);
  return recentRequestsMessage(mine, storedPermalinks(mine));
}

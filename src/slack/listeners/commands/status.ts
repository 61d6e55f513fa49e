import type { BotDeps } from '../../../app/deps';
import type { InvalidationRequest } from '../../../domain/request';
import { storedPermalinks } from '../../delivery/permalinks';
import { errorMessage } from '../../messages/errors';
import { escapeMrkdwn } from '../../messages/mrkdwn';
import type { SlackMessage } from '../../messages/slack-message';
import { recentRequestsMessage, requestStatusMessage } from '../../messages/status';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const SHORT_ID = /^[0-9A-HJKMNP-TV-Z]{6,25}$/;

/** A full id finds any request; a short id (the end of one, as lists show it) finds one of the person's own. */
async function findRequest(
  deps: BotDeps,
  userId: string,
  id: string,
): Promise<InvalidationRequest | undefined> {
  if (ULID.test(id)) return deps.store.get(id);
  if (!SHORT_ID.test(id)) return undefined;
  const mine = await deps.store.listByRequester(userId, 100);
  return mine.find((r) => r.id.endsWith(id));
}

/** `/invalidate status [id]`: one request in detail, or this person's recent requests. */
export async function statusReply(deps: BotDeps, userId: string, id?: string): Promise<SlackMessage> {
  if (id !== undefined) {
    const request = await findRequest(deps, userId, id.toUpperCase());
    if (!request) {
      return errorMessage(
        `No request \`${escapeMrkdwn(id)}\`. Use the full id, or the short id shown in \`/invalidate status\` for your own requests.`,
      );
    }
    return requestStatusMessage(request, storedPermalinks([request])[request.id]);
  }
  const mine = await deps.store.listByRequester(userId, 20);
  return recentRequestsMessage(mine, storedPermalinks(mine));
}

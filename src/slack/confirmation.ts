import type { InvalidationRequest } from '../domain/request';
import { storedPermalinks } from './delivery/permalinks';
import type { SlackMessage } from './messages/slack-message';
import { requestStatusMessage } from './messages/status';

/**
 * What the requester is told once their request is recorded: where it is and
 * what happens next. Built from the request alone (no Slack call), because it
 * is part of the answer Slack waits for.
 */
export function confirmation(request: InvalidationRequest): SlackMessage {
  const status = requestStatusMessage(request, storedPermalinks([request])[request.id]);
  const posted = request.cardTs === undefined ? ' The approval card will be posted shortly.' : '';
  return { ...status, text: `Request recorded.${posted} ${status.text}` };
}

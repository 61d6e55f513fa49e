import { createRequest } from '../../../app/create-request';
import type { BotDeps } from '../../../app/deps';
import { confirmation } from '../../confirmation';
import { errorMessage, pathErrorsMessage } from '../../messages/errors';
import { requestRefusalText } from '../../messages/request-refusals';
import type { SlackMessage } from '../../messages/slack-message';
import type { CommandPayload } from '../../payloads';

/**
 * `/invalidate <alias> <path>…`: the request without the modal. Stored in one
 * write, answered in the HTTP response; the card and the rest are the worker's.
 */
export async function quickRequest(
  deps: BotDeps,
  payload: CommandPayload,
  form: { alias?: string; pathsText: string; reason: string; breakGlass: boolean },
): Promise<SlackMessage> {
  const outcome = await createRequest(deps, {
    requesterId: payload.user_id,
    alias: form.alias?.toLowerCase(),
    pathsText: form.pathsText,
    mode: 'words',
    reason: form.reason,
    breakGlass: form.breakGlass,
    // A retried delivery of the same command carries the same trigger id.
    idempotencyKey: `command:${payload.trigger_id}`,
  });
  if (outcome.kind === 'refused') return errorMessage(requestRefusalText(outcome.refusal));
  if (outcome.kind === 'invalid') {
    if (outcome.field === 'paths') return pathErrorsMessage(outcome.message);
    // Our own mrkdwn (code spans) and must stay so; what the person typed is escaped where
    // the message is worded.
    return errorMessage(outcome.message);
  }
  await deps.kicker.kick(outcome.followUp);
  return confirmation(outcome.request);
}

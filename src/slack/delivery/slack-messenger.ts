import { ErrorCode, type WebClient } from '@slack/web-api';
import type { DeliveryResult, Messenger } from '../../app/ports';
import type { BotConfig } from '../../config/bot-config';
import { findDistribution } from '../../config/load-config';
import type { InvalidationRequest, Notice } from '../../domain/request';
import { cardPostProblemText } from '../messages/card-post-problem';
import { describeCost } from '../messages/cost';
import { requestCard } from '../messages/request-card';
import { isRequesterNotice, requesterDm } from '../messages/requester-dm';
import { isThreadNotice, threadReply } from '../messages/thread-replies';
import { permalinks } from './permalinks';

/** Slack errors that no retry will fix: the message itself is wrong, or its target is gone. */
const PERMANENT_ERRORS = new Set([
  'invalid_blocks',
  'invalid_arguments',
  'msg_too_long',
  'message_not_found',
  'cant_update_message',
  'is_archived',
  ...[
    'not_in_channel',
    'channel_not_found',
    'missing_scope',
    'restricted_action',
    'restricted_action_read_only_channel',
    'restricted_action_thread_only_channel',
    'restricted_action_non_threadable_channel',
    'invalid_auth',
    'token_revoked',
    'account_inactive',
    'not_authed',
  ],
]);

/** Delivers outbox notices to Slack: the card, thread replies, DMs to the requester. */
export function slackMessenger(client: WebClient, config: BotConfig): Messenger {
  async function send(request: InvalidationRequest, notice: Notice): Promise<DeliveryResult> {
    // No longer owed: a change since the claim dropped it (a decision, a card Slack refused).
    if (!request.outbox.some((n) => n.id === notice.id)) return { ok: true };
    // Held with a card that did not make it: wait for the card (a thread needs it; a DM links it).
    if (
      notice.kind !== 'card' &&
      request.cardTs === undefined &&
      request.outbox.some((n) => n.kind === 'card')
    ) {
      return { ok: false, error: 'waiting for the card to be posted' };
    }
    const distribution = findDistribution(config, request.distributionAlias);
    const approvers = distribution?.approvers ?? [];
    if (notice.kind === 'card') {
      const description = distribution?.description;
      const card = requestCard({
        request,
        costText: describeCost(request.paths.length),
        approvers,
        ...(description ? { distributionDescription: description } : {}),
      });
      if (request.cardTs === undefined) {
        try {
          const posted = await client.chat.postMessage({
            channel: request.channel,
            text: card.text,
            blocks: card.blocks,
          });
          if (!posted.ts) return { ok: false, error: 'chat.postMessage returned no ts' };
          // Learned once here, in the worker, so answers in Slack's 3 s can link the card without a call.
          const link = (await permalinks(client, [{ ...request, cardTs: posted.ts }]))[request.id];
          return { ok: true, cardTs: posted.ts, ...(link ? { cardPermalink: link } : {}) };
        } catch (error) {
          return cardPostFailure(client, request.channel, error);
        }
      }
      await client.chat.update({
        channel: request.channel,
        ts: request.cardTs,
        text: card.text,
        blocks: card.blocks,
      });
      return { ok: true };
    }
    if (isRequesterNotice(notice)) {
      // A DM without a link is still worth sending: a failed lookup just means no link.
      const dm = requesterDm(request, notice, (await permalinks(client, [request]))[request.id]);
      // Posting to a user id lands in the bot's DM with them.
      await client.chat.postMessage({
        channel: request.requesterId,
        text: dm.text,
        ...(dm.blocks ? { blocks: dm.blocks } : {}),
      });
      return { ok: true };
    }
    // Asked to decide, but decided meanwhile (the queue was claimed before the decision).
    if ((notice.kind === 'reminder' || notice.kind === 'ask-approvers') && request.status !== 'PENDING') {
      return { ok: true };
    }
    if (isThreadNotice(notice) && request.cardTs !== undefined) {
      const reply = threadReply(request, notice, { approvers });
      await client.chat.postMessage({
        channel: request.channel,
        thread_ts: request.cardTs,
        text: reply.text,
        ...(reply.blocks ? { blocks: reply.blocks } : {}),
      });
      return { ok: true };
    }
    return { ok: false, permanent: true, error: `cannot deliver ${notice.kind} before the card is posted` };
  }

  return {
    async deliver(request, notice) {
      try {
        return await send(request, notice);
      } catch (error) {
        return deliveryFailure(error);
      }
    },
  };
}

/**
 * A first card post Slack refused. A permanent refusal carries, for the requester, what is
 * wrong and how to fix it: the request cannot go anywhere without its card.
 */
async function cardPostFailure(client: WebClient, channel: string, error: unknown): Promise<DeliveryResult> {
  const failure = deliveryFailure(error);
  if (failure.ok || failure.permanent !== true) return failure;
  const needed = (error as { data?: { needed?: unknown } }).data?.needed;
  const botUserId =
    failure.error === 'not_in_channel' || failure.error === 'channel_not_found'
      ? await botUser(client)
      : undefined;
  const message = cardPostProblemText({
    error: failure.error,
    channel,
    ...(botUserId !== undefined ? { botUserId } : {}),
    ...(typeof needed === 'string' ? { neededScope: needed } : {}),
  });
  return { ...failure, message };
}

/** The bot's own user id, for "/invite @bot"; only asked on this rare path, and optional. */
async function botUser(client: WebClient): Promise<string | undefined> {
  try {
    const me = await client.auth.test();
    return typeof me.user_id === 'string' ? me.user_id : undefined;
  } catch {
    return undefined;
  }
}

/** Maps a WebClient error once, here, to "retry after" or "give up". */
export function deliveryFailure(error: unknown): DeliveryResult {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const e = error as { code: unknown; retryAfter?: unknown; data?: { error?: unknown } };
    if (e.code === ErrorCode.RateLimitedError) {
      const seconds = typeof e.retryAfter === 'number' ? e.retryAfter : 30;
      return { ok: false, retryAfterMs: seconds * 1000, error: 'ratelimited' };
    }
    if (e.code === ErrorCode.PlatformError) {
      const slackError = typeof e.data?.error === 'string' ? e.data.error : 'unknown_error';
      return { ok: false, permanent: PERMANENT_ERRORS.has(slackError), error: slackError };
    }
  }
  return { ok: false, error: error instanceof Error ? error.message : String(error) };
}

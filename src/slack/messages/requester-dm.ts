import type { InvalidationRequest, Notice, NoticeKind } from '../../domain/request';
import { elapsedMs, formatElapsed } from './elapsed';
import { itemsText } from './item-summary';
import { escapeAndTruncate, escapeMrkdwn, mention, slackDate, truncate } from './mrkdwn';
import type { SlackMessage } from './slack-message';
import { requestStatusMessage } from './status';

/** Notices delivered as a direct message to the requester: every end of their request. */
export type RequesterNotice = Notice & { kind: Extract<NoticeKind, `requester-${string}`> };

export function isRequesterNotice(notice: Notice): notice is RequesterNotice {
  return notice.kind.startsWith('requester-');
}

const MAX_DETAIL_LENGTH = 2_000;

/** The DM telling the requester how their invalidation ended, with a link to its thread. */
export function requesterDm(
  request: InvalidationRequest,
  notice: RequesterNotice,
  threadPermalink?: string,
): SlackMessage {
  const what = `${request.dryRun ? 'dry-run invalidation' : 'invalidation'} of ${itemsText(request)} on ${escapeMrkdwn(request.distributionAlias)}`;
  const link = threadPermalink === undefined ? '' : ` <${threadPermalink}|View the thread>`;
  const dryRun = request.dryRun ? ' Dry run: nothing was sent to CloudFront.' : '';
  if (notice.kind === 'requester-recorded') {
    const status = requestStatusMessage(request, threadPermalink);
    return { ...status, text: `Request recorded. ${status.text}` };
  }
  if (notice.kind === 'requester-completed') {
    const ms = elapsedMs(request.submittedAt ?? request.approvedAt, request.completedAt ?? notice.createdAt);
    const took = ms === undefined ? '' : ` in ${formatElapsed(ms)}`;
    return { text: `:white_check_mark: Your ${what} completed${took}.${dryRun}${link}` };
  }
  if (notice.kind === 'requester-rejected') {
    const by = notice.actorId === undefined ? '' : ` by ${mention(notice.actorId)}`;
    const reason =
      notice.detail === undefined || notice.detail.trim() === ''
        ? ' No reason was given; ask in the thread.'
        : ` Reason: ${escapeAndTruncate(notice.detail.trim(), MAX_DETAIL_LENGTH)}`;
    return { text: `:no_entry: Your ${what} was rejected${by}.${reason} Nothing was invalidated.${link}` };
  }
  if (notice.kind === 'requester-expired') {
    return {
      text:
        `:alarm_clock: Your ${what} expired: nobody decided by ${slackDate(request.decideBy, '{date_short_pretty} at {time}')}. ` +
        `Nothing was invalidated. If it is still needed, use *Request again* on the card or run \`/invalidate ${escapeMrkdwn(request.distributionAlias)}\`.${link}`,
    };
  }
  if (notice.kind === 'requester-card-failed') {
    // The detail is our own mrkdwn (slack/messages/card-post-problem), not text from outside.
    const fix = truncate(notice.detail ?? 'Slack would not post the approval card.', MAX_DETAIL_LENGTH);
    return { text: `:x: Your ${what} failed: nobody could approve it without its card. ${fix}${dryRun}` };
  }
  const error = escapeAndTruncate(
    notice.detail ?? request.lastError ?? 'CloudFront refused it.',
    MAX_DETAIL_LENGTH,
  );
  return { text: `:x: Your ${what} failed: ${error}${dryRun}${link}` };
}

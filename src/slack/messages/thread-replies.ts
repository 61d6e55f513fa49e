import type { InvalidationRequest, Notice, NoticeKind } from '../../domain/request';
import { elapsedMs, formatElapsed } from './elapsed';
import { itemsText } from './item-summary';
import { escapeAndTruncate, escapeMrkdwn, mention, plural, slackDate } from './mrkdwn';
import type { SlackMessage } from './slack-message';

export { formatElapsed } from './elapsed';

/** Notices answered with a reply in the card's thread (the card itself and the DMs are not). */
export type ThreadNoticeKind = Exclude<NoticeKind, 'card' | `requester-${string}`>;
export type ThreadNotice = Notice & { kind: ThreadNoticeKind };

const THREAD_KINDS: ReadonlySet<NoticeKind> = new Set<ThreadNoticeKind>([
  'approved',
  'rejected',
  'cancelled',
  'submitted',
  'queued',
  'still-in-progress',
  'completed',
  'failed',
  'expired',
  'ask-approvers',
  'reminder',
  'break-glass-review',
]);

export function isThreadNotice(notice: Notice): notice is ThreadNotice {
  return THREAD_KINDS.has(notice.kind);
}

/** CloudFront's or our own error text can be long; a reply stays readable. */
const MAX_DETAIL_LENGTH = 2_000;

/** What a reply needs beyond the request: who may approve it (users and groups), from config. */
export interface ThreadContext {
  approvers: readonly string[];
}

/** The thread reply a notice stands for. Every reply about a dry-run request says so. */
export function threadReply(
  request: InvalidationRequest,
  notice: ThreadNotice,
  context: ThreadContext = { approvers: [] },
): SlackMessage {
  const text = replyText(request, notice, context);
  return { text: request.dryRun && !/dry run/i.test(text) ? `${text} _(dry run)_` : text };
}

function replyText(request: InvalidationRequest, notice: ThreadNotice, context: ThreadContext): string {
  switch (notice.kind) {
    case 'ask-approvers':
      return askApproversText(request, context);
    case 'reminder':
      return reminderText(request, context);
    case 'break-glass-review':
      return breakGlassReviewText(request, context);
    case 'approved':
      return approvedText(request, notice);
    case 'rejected':
      return `:no_entry: Rejected${by(notice)}.${reasonSuffix(notice)} Nothing will be invalidated.`;
    case 'cancelled':
      return `:heavy_multiplication_x: Cancelled${by(notice)}.${reasonSuffix(notice)} Nothing will be invalidated.`;
    case 'submitted':
      return submittedText(request);
    case 'queued':
      return (
        `:hourglass: CloudFront cannot take the invalidation yet: ${detail(notice, request)} ` +
        'The request stays approved and I will retry automatically.'
      );
    case 'still-in-progress':
      return stillInProgressText(request, notice);
    case 'completed':
      return completedText(request, notice);
    case 'failed':
      return `:x: *Failed:* ${detail(notice, request)}`;
    case 'expired':
      return (
        `:alarm_clock: Expired: no decision by ${slackDate(request.decideBy, '{date_short_pretty} at {time}')}. ` +
        'Nothing was invalidated; request it again with `/invalidate` if it is still needed.'
      );
  }
}

/** The approvers, mentioned so Slack notifies them (a group mention notifies its members). */
function approverMentions(context: ThreadContext): string {
  return context.approvers.length === 0
    ? 'the approvers'
    : [...new Set(context.approvers)].map(mention).join(' ');
}

function askApproversText(request: InvalidationRequest, context: ThreadContext): string {
  const needed = plural(request.requiredApprovals, 'approval');
  return (
    `:wave: ${approverMentions(context)}: ${mention(request.requesterId)} asks to invalidate ` +
    `${plural(request.paths.length, 'path')} on ${escapeMrkdwn(request.distributionAlias)}. ` +
    `It needs ${needed}; Approve or Reject on the card above.`
  );
}

function reminderText(request: InvalidationRequest, context: ThreadContext): string {
  const missing = Math.max(0, request.requiredApprovals - request.approvals.length);
  return (
    `:bell: Reminder, ${approverMentions(context)}: this request is still waiting for ` +
    `${plural(missing, 'more approval')}. It expires ${slackDate(request.decideBy, '{date_short_pretty} at {time}')}.`
  );
}

function breakGlassReviewText(request: InvalidationRequest, context: ThreadContext): string {
  const reason =
    request.reason.trim() === ''
      ? ''
      : ` Reason: ${escapeAndTruncate(request.reason.trim(), MAX_DETAIL_LENGTH)}.`;
  return (
    `:rotating_light: Break-glass: ${mention(request.requesterId)} skipped approval and submitted at once.${reason} ` +
    `${approverMentions(context)}: please review it after the fact.`
  );
}

function approvedText(request: InvalidationRequest, notice: Notice): string {
  const onward = request.dryRun ? 'dry run, so nothing is sent to CloudFront' : 'submitting to CloudFront';
  if (notice.actorId === undefined || request.requiredApprovals === 0) {
    return `:large_green_circle: No approval needed for ${escapeMrkdwn(request.distributionAlias)}: ${onward}.`;
  }
  // The position of this approval, not the current count: later approvals may already be stored.
  const index = request.approvals.findIndex((a) => a.userId === notice.actorId);
  const position = index === -1 ? request.approvals.length : index + 1;
  const approved = `:+1: Approved by ${mention(notice.actorId)} (${position} of ${request.requiredApprovals})`;
  if (position >= request.requiredApprovals) return `${approved}: approvals complete, ${onward}.`;
  const missing = request.requiredApprovals - position;
  return `${approved}: waiting for ${plural(missing, 'more approval')}.`;
}

function submittedText(request: InvalidationRequest): string {
  const paths = itemsText(request);
  if (request.dryRun) {
    return `:test_tube: Dry run: ${paths} would have been submitted to CloudFront now; nothing was sent.`;
  }
  const id = request.invalidationId === undefined ? '' : ` \`${escapeMrkdwn(request.invalidationId)}\``;
  return `:rocket: Submitted ${paths} to CloudFront: invalidation${id}. I will post here when it completes.`;
}

function stillInProgressText(request: InvalidationRequest, notice: Notice): string {
  const id = request.invalidationId === undefined ? '' : ` \`${escapeMrkdwn(request.invalidationId)}\``;
  const ms = elapsedMs(request.submittedAt ?? request.approvedAt, notice.createdAt);
  const sofar = ms === undefined ? '' : `, ${formatElapsed(ms)} so far`;
  return (
    `:hourglass_flowing_sand: Still in progress at CloudFront (invalidation${id}${sofar}). ` +
    'Large or wildcard invalidations can take several minutes; I will post here when it completes.'
  );
}

function completedText(request: InvalidationRequest, notice: Notice): string {
  const ms = elapsedMs(request.submittedAt ?? request.approvedAt, request.completedAt ?? notice.createdAt);
  const took = ms === undefined ? '' : ` in ${formatElapsed(ms)}`;
  const paths = itemsText(request);
  const alias = escapeMrkdwn(request.distributionAlias);
  if (request.dryRun) return `:white_check_mark: Dry run completed${took}: nothing was sent to CloudFront.`;
  return `:white_check_mark: Completed${took}: ${paths} on ${alias} are cleared from the edge caches.`;
}

function by(notice: Notice): string {
  return notice.actorId === undefined ? '' : ` by ${mention(notice.actorId)}`;
}

function reasonSuffix(notice: Notice): string {
  return notice.detail === undefined || notice.detail.trim() === ''
    ? ''
    : ` Reason: ${escapeAndTruncate(notice.detail.trim(), MAX_DETAIL_LENGTH)}.`;
}

function detail(notice: Notice, request: InvalidationRequest): string {
  const text = notice.detail ?? request.lastError ?? 'CloudFront gave no reason.';
  return escapeAndTruncate(text, MAX_DETAIL_LENGTH);
}

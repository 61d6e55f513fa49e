import type { InvalidationRequest, Notice, NoticeKind } from '../../domain/request';
import { elapsedMs, formatElapsed } from './elapsed';
import { escapeAndTruncate, escapeMrkdwn, mention, plural, slackDate } from './mrkdwn';
import type { SlackMessage } from './slack-message';

export { formatElapsed } from './elapsed';

/** Notices answered with a reply in the card's thread (the card itself and the DMs are not). */
export type ThreadNoticeKind = Exclude<
  NoticeKind,
  'card' | 'requester-recorded' | 'requester-completed' | 'requester-failed'
>;
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
]);

export function isThreadNotice(notice: Notice): notice is ThreadNotice {
  return THREAD_KINDS.has(notice.kind);
}

/** CloudFront's or our own error text can be long; a reply stays readable. */
const MAX_DETAIL_LENGTH = 2_000;

/** The thread reply a notice stands for. Every reply about a dry-run request says so. */
export function threadReply(request: InvalidationRequest, notice: ThreadNotice): SlackMessage {
  const text = replyText(request, notice);
  return { text: request.dryRun && !/dry run/i.test(text) ? `${text} _(dry run)_` : text };
}

function replyText(request: InvalidationRequest, notice: ThreadNotice): string {
  switch (notice.kind) {
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
  const paths = plural(request.paths.length, 'path');
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
  const paths = plural(request.paths.length, 'path');
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

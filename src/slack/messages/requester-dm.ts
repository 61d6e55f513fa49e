import type { InvalidationRequest, Notice } from '../../domain/request';
import { elapsedMs, formatElapsed } from './elapsed';
import { escapeAndTruncate, escapeMrkdwn, plural } from './mrkdwn';
import type { SlackMessage } from './slack-message';
import { requestStatusMessage } from './status';

/** Notices delivered as a direct message to the requester. */
export type RequesterNotice = Notice & {
  kind: 'requester-recorded' | 'requester-completed' | 'requester-failed';
};

export function isRequesterNotice(notice: Notice): notice is RequesterNotice {
  return (
    notice.kind === 'requester-recorded' ||
    notice.kind === 'requester-completed' ||
    notice.kind === 'requester-failed'
  );
}

const MAX_DETAIL_LENGTH = 2_000;

/** The DM telling the requester how their invalidation ended, with a link to its thread. */
export function requesterDm(
  request: InvalidationRequest,
  notice: RequesterNotice,
  threadPermalink?: string,
): SlackMessage {
  const what = `${request.dryRun ? 'dry-run invalidation' : 'invalidation'} of ${plural(request.paths.length, 'path')} on ${escapeMrkdwn(request.distributionAlias)}`;
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
  const error = escapeAndTruncate(
    notice.detail ?? request.lastError ?? 'CloudFront refused it.',
    MAX_DETAIL_LENGTH,
  );
  return { text: `:x: Your ${what} failed: ${error}${dryRun}${link}` };
}

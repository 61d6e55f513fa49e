import type { RequestStatus } from '../../domain/request';

/** How each status reads in Slack: an emoji to scan by, and words to read. */
const STATUS_TEXT: Record<RequestStatus, { emoji: string; label: string }> = {
  PENDING: { emoji: ':hourglass_flowing_sand:', label: 'Waiting for approval' },
  APPROVED: { emoji: ':large_green_circle:', label: 'Approved' },
  SUBMITTED: { emoji: ':arrows_counterclockwise:', label: 'In progress' },
  COMPLETED: { emoji: ':white_check_mark:', label: 'Completed' },
  REJECTED: { emoji: ':no_entry:', label: 'Rejected' },
  CANCELLED: { emoji: ':heavy_multiplication_x:', label: 'Cancelled' },
  EXPIRED: { emoji: ':alarm_clock:', label: 'Expired' },
  FAILED: { emoji: ':x:', label: 'Failed' },
};

export function statusEmoji(status: RequestStatus): string {
  return STATUS_TEXT[status].emoji;
}

export function statusLabel(status: RequestStatus): string {
  return STATUS_TEXT[status].label;
}

/** ":white_check_mark: Completed" */
export function statusBadge(status: RequestStatus): string {
  return `${statusEmoji(status)} ${statusLabel(status)}`;
}

const SHORT_ID_LENGTH = 8;

/**
 * The tail of the ULID: its head is the timestamp, shared by requests made in
 * the same minute, while the tail is random. `/invalidate status` should accept
 * it as well as the full id (match with `id.endsWith(short)`).
 */
export function shortId(id: string): string {
  return id.slice(-SHORT_ID_LENGTH);
}

import { isExpired, refuse, step, type Transition } from './lifecycle';
import type { InvalidationRequest } from './request';

/**
 * The one reminder: `remindAfterMinutes` after a request was made, if nobody has decided it
 * yet, its thread mentions the approvers once more. One reminder, not a stream: the request
 * keeps `remindedAt` and is never reminded again. Deciding it drops a reminder still queued
 * (see `step`), so a decided request is never "still waiting".
 */

export function isReminderDue(request: InvalidationRequest, now: Date): boolean {
  return (
    request.status === 'PENDING' &&
    request.remindAt !== undefined &&
    request.remindedAt === undefined &&
    Date.parse(request.remindAt) <= now.getTime() &&
    !isExpired(request, now)
  );
}

export function remind(request: InvalidationRequest, now: Date): Transition {
  if (!isReminderDue(request, now)) {
    return refuse({ code: 'not-due' });
  }
  const { remindAt: _sent, ...rest } = request;
  return step(rest, now, {
    actor: 'bot',
    action: 'reminded',
    changes: { remindedAt: now.toISOString() },
    notices: [{ kind: 'reminder' }],
  });
}

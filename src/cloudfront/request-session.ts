import type { CallAttribution } from '../app/ports';
import type { SessionSpec } from './role-credentials';

/**
 * The assumed-role session a submission runs under, so CloudTrail names the bot request behind
 * every CreateInvalidation (README, "Finding a request's calls in CloudTrail"): the session name
 * carries the request id; on the stack's own invalidator role, whose trust policy allows it, the
 * requester is the source identity and requester and approvers are session tags. A cross-account
 * role's trust policy is not ours to extend, so there only the session name carries the request.
 */

/** IAM: a session name is 2-64 of `[\w+=,.@-]`; source identity the same; tag values 0-256. */
const NAME_CHARS = /[^\w+=,.@-]/g;
const TAG_VALUE_CHARS = /[^\w .:/=+@-]/g;

/** `<request id>` or `<request id>-<batch>`: the request id is the first. */
export function requestIdOf(callerReference: string): string {
  return callerReference.replace(/-\d+$/, '');
}

export function requestSession(
  callerReference: string,
  attribution: CallAttribution | undefined,
  withIdentity: boolean,
): SessionSpec {
  const requestId = (attribution?.requestId ?? requestIdOf(callerReference)).replace(NAME_CHARS, '');
  const name = `bot-request-${requestId}`.slice(0, 64);
  if (!withIdentity || !attribution) return { name };
  const tag = (key: string, value: string) => ({
    key,
    value: value.replace(TAG_VALUE_CHARS, '').slice(0, 256),
  });
  return {
    name,
    sourceIdentity: `slack-${attribution.requesterId}`.replace(NAME_CHARS, '').slice(0, 64),
    tags: [
      tag('bot-request', requestId),
      tag('requester', attribution.requesterId),
      tag('approvers', attribution.approverIds.join(' ') || 'none'),
    ],
  };
}

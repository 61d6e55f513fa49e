import { findDistribution } from '../domain/config-loader';
import { approve, cancel, expire, reject } from '../domain/lifecycle';
import { canApprove, canCancel, canReject, groupsToResolve } from '../domain/policy';
import type { InvalidationRequest } from '../domain/request';
import type { BotDeps } from './deps';
import { groupsOf } from './membership';

export type Decision = 'approve' | 'reject' | 'cancel';

export type DecideOutcome =
  | { kind: 'done'; request: InvalidationRequest }
  /** The person may not do this, or the request moved on: `message` is what they are told. */
  | { kind: 'refused'; message: string; request?: InvalidationRequest }
  | { kind: 'missing' };

/**
 * One click on Approve, Reject or Cancel. Policy is checked against the state
 * the write is conditioned on, so a race (two approvers, a double click, a
 * Slack retry) is decided by the store, never applied twice.
 */
export async function decideRequest(
  deps: BotDeps,
  input: { requestId: string; userId: string; decision: Decision },
): Promise<DecideOutcome> {
  const current = await deps.store.get(input.requestId);
  if (!current) return { kind: 'missing' };
  const distribution = findDistribution(deps.config, current.distributionAlias);
  if (!distribution) {
    return {
      kind: 'refused',
      message: `The distribution "${current.distributionAlias}" is no longer in the bot's config, so this request cannot be decided.`,
      request: current,
    };
  }
  // Resolved once, before the pure decision that may re-run on a lost race.
  const groups =
    input.decision === 'cancel'
      ? new Set<string>()
      : await groupsOf(deps, input.userId, groupsToResolve(distribution, 'approve'));

  const written = await deps.store.update<string | null>(input.requestId, (r) => {
    const now = deps.clock.now();
    const allowed =
      input.decision === 'approve'
        ? canApprove(distribution, r, input.userId, groups)
        : input.decision === 'reject'
          ? canReject(distribution, r, input.userId, groups)
          : canCancel(r, input.userId);
    if (!allowed.allowed) {
      // An undecided request past its deadline is expired by whoever notices first.
      const expired = expire(r, now);
      if (expired.ok)
        return { kind: 'write', next: expired.request, events: expired.events, result: allowed.reason };
      return { kind: 'stop', result: allowed.reason };
    }
    const t =
      input.decision === 'approve'
        ? approve(r, input.userId, now)
        : input.decision === 'reject'
          ? reject(r, input.userId, now)
          : cancel(r, input.userId, now);
    if (t.ok) return { kind: 'write', next: t.request, events: t.events, result: null };
    const expired = expire(r, now);
    if (expired.ok)
      return { kind: 'write', next: expired.request, events: expired.events, result: t.refusal.message };
    return { kind: 'stop', result: t.refusal.message };
  });
  if (written.kind === 'missing') return { kind: 'missing' };
  if (written.result !== null) return { kind: 'refused', message: written.result, request: written.request };
  return { kind: 'done', request: written.request };
}

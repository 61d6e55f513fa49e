import type { DistributionConfig } from '../domain/config';
import { findDistribution } from '../domain/config-loader';
import { approve, cancel, expire, reject, type Transition } from '../domain/lifecycle';
import {
  canApprove,
  canCancel,
  canReject,
  groupsToResolve,
  type Decision as PolicyDecision,
  type UserGroups,
} from '../domain/policy';
import type { InvalidationRequest } from '../domain/request';
import type { BotDeps } from './deps';
import { groupsOf } from './membership';

export type Decision = 'approve' | 'reject' | 'cancel';

/** Who may make each decision (policy), and what it does to the request (lifecycle). */
const RULES: Record<
  Decision,
  {
    may: (
      d: DistributionConfig,
      r: InvalidationRequest,
      userId: string,
      groups: UserGroups,
    ) => PolicyDecision;
    apply: (r: InvalidationRequest, userId: string, now: Date, reason?: string) => Transition;
  }
> = {
  approve: { may: canApprove, apply: approve },
  reject: { may: canReject, apply: (r, userId, now, reason) => reject(r, userId, now, reason) },
  cancel: { may: (_d, r, userId) => canCancel(r, userId), apply: cancel },
};

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
  input: { requestId: string; userId: string; decision: Decision; reason?: string },
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

  const rule = RULES[input.decision];
  // Decided on the request just read; if someone changed it since, the write fails and re-reads.
  const written = await deps.store.update<string | null>(
    input.requestId,
    (r) => {
      const now = deps.clock.now();
      const allowed = rule.may(distribution, r, input.userId, groups);
      let reason: string;
      if (allowed.allowed) {
        const t = rule.apply(r, input.userId, now, input.reason);
        if (t.ok) return { kind: 'write', next: t.request, events: t.events, result: null };
        reason = t.refusal.message;
      } else {
        reason = allowed.reason;
      }
      // An undecided request past its deadline is expired by whoever notices first.
      const expired = expire(r, now);
      if (expired.ok) return { kind: 'write', next: expired.request, events: expired.events, result: reason };
      return { kind: 'stop', result: reason };
    },
    current,
  );
  if (written.kind === 'missing') return { kind: 'missing' };
  if (written.result !== null) return { kind: 'refused', message: written.result, request: written.request };
  return { kind: 'done', request: written.request };
}

/**
 * Whether this person may make the decision now, without writing: the Reject button asks
 * before it opens its form, so a person who may not reject is told so instead.
 */
export async function mayDecide(
  deps: BotDeps,
  input: { requestId: string; userId: string; decision: Decision },
): Promise<
  | { kind: 'allowed'; request: InvalidationRequest }
  | { kind: 'refused'; message: string }
  | { kind: 'missing' }
> {
  const current = await deps.store.get(input.requestId);
  if (!current) return { kind: 'missing' };
  const distribution = findDistribution(deps.config, current.distributionAlias);
  if (!distribution) {
    return {
      kind: 'refused',
      message: `The distribution "${current.distributionAlias}" is no longer in the bot's config, so this request cannot be decided.`,
    };
  }
  const groups =
    input.decision === 'cancel'
      ? new Set<string>()
      : await groupsOf(deps, input.userId, groupsToResolve(distribution, 'approve'));
  const allowed = RULES[input.decision].may(distribution, current, input.userId, groups);
  return allowed.allowed
    ? { kind: 'allowed', request: current }
    : { kind: 'refused', message: allowed.reason };
}

import type { DistributionConfig } from '../config/bot-config';
import { findDistribution } from '../config/load-config';
import { approve, cancel, type DecisionRefusal, expire, reject, type Transition } from '../domain/lifecycle';
import {
  canApprove,
  canCancel,
  canReject,
  groupsToResolve,
  type PolicyRefusal,
  type UserGroups,
} from '../domain/policy';
import type { InvalidationRequest } from '../domain/request';
import type { BotDeps } from './deps';
import { groupsOf, type MembershipDeps } from './membership';

export type Decision = 'approve' | 'reject' | 'cancel';

/** Why a decision was refused, as codes and facts; slack/messages/decide-refusals.ts words them. */
export type DecideRefusal =
  | PolicyRefusal
  | { code: 'distribution-gone'; alias: string }
  /** The lifecycle's own refusal: policy let it through, but the request is past its deadline. */
  | { code: 'lifecycle'; refusal: DecisionRefusal };

export type DecideOutcome =
  | { kind: 'done'; request: InvalidationRequest }
  /** The person may not do this, or the request moved on. */
  | { kind: 'refused'; refusal: DecideRefusal; request?: InvalidationRequest }
  | { kind: 'missing' };

export type DecideDeps = Pick<BotDeps, 'config' | 'store' | 'clock'> & MembershipDeps;

/**
 * The decision on one request, as of `now`: who may decide is policy's (the one gate for
 * "still pending" and "approved once already"), what it does to the request is the lifecycle's.
 * Pure, so the store may re-run it on a lost race.
 */
function decide(
  decision: Decision,
  distribution: DistributionConfig,
  request: InvalidationRequest,
  input: { userId: string; reason?: string },
  groups: UserGroups,
  now: Date,
): { ok: true; transition: Transition<DecisionRefusal> } | { ok: false; refusal: PolicyRefusal } {
  switch (decision) {
    case 'approve': {
      const may = canApprove(distribution, request, input.userId, groups);
      if (!may.allowed) return { ok: false, refusal: may.refusal };
      return { ok: true, transition: approve(request, input.userId, now) };
    }
    case 'reject': {
      const may = canReject(distribution, request, input.userId, groups);
      if (!may.allowed) return { ok: false, refusal: may.refusal };
      return { ok: true, transition: reject(request, input.userId, now, input.reason) };
    }
    case 'cancel': {
      const may = canCancel(request, input.userId);
      if (!may.allowed) return { ok: false, refusal: may.refusal };
      return { ok: true, transition: cancel(request, input.userId, now) };
    }
  }
}

/**
 * One click on Approve, Reject or Cancel. Policy is checked against the state
 * the write is conditioned on, so a race (two approvers, a double click, a
 * Slack retry) is decided by the store, never applied twice.
 */
export async function decideRequest(
  deps: DecideDeps,
  input: { requestId: string; userId: string; decision: Decision; reason?: string },
): Promise<DecideOutcome> {
  const current = await deps.store.get(input.requestId);
  if (!current) return { kind: 'missing' };
  const distribution = findDistribution(deps.config, current.distributionAlias);
  if (!distribution) {
    return {
      kind: 'refused',
      refusal: { code: 'distribution-gone', alias: current.distributionAlias },
      request: current,
    };
  }
  // Resolved once, before the pure decision that may re-run on a lost race.
  const groups = await groupsFor(deps, distribution, input);

  // Decided on the request just read; if someone changed it since, the write fails and re-reads.
  const written = await deps.store.update<DecideRefusal | null>(
    input.requestId,
    (r) => {
      const now = deps.clock.now();
      const decided = decide(input.decision, distribution, r, input, groups, now);
      let refusal: DecideRefusal;
      if (decided.ok) {
        const t = decided.transition;
        if (t.ok) return { kind: 'write', next: t.request, events: t.events, result: null };
        refusal = { code: 'lifecycle', refusal: t.refusal };
      } else {
        refusal = decided.refusal;
      }
      // An undecided request past its deadline is expired by whoever notices first.
      const expired = expire(r, now);
      if (expired.ok)
        return { kind: 'write', next: expired.request, events: expired.events, result: refusal };
      return { kind: 'stop', result: refusal };
    },
    current,
  );
  if (written.kind === 'missing') return { kind: 'missing' };
  if (written.result !== null) return { kind: 'refused', refusal: written.result, request: written.request };
  return { kind: 'done', request: written.request };
}

/**
 * Whether this person may make the decision now, without writing: the Reject button asks
 * before it opens its form, so a person who may not reject is told so instead.
 */
export async function mayDecide(
  deps: DecideDeps,
  input: { requestId: string; userId: string; decision: Decision },
): Promise<
  | { kind: 'allowed'; request: InvalidationRequest }
  | { kind: 'refused'; refusal: DecideRefusal }
  | { kind: 'missing' }
> {
  const current = await deps.store.get(input.requestId);
  if (!current) return { kind: 'missing' };
  const distribution = findDistribution(deps.config, current.distributionAlias);
  if (!distribution) {
    return { kind: 'refused', refusal: { code: 'distribution-gone', alias: current.distributionAlias } };
  }
  const groups = await groupsFor(deps, distribution, input);
  // Only policy is asked: the lifecycle runs when the decision is made.
  const decided = decide(input.decision, distribution, current, input, groups, deps.clock.now());
  return decided.ok ? { kind: 'allowed', request: current } : { kind: 'refused', refusal: decided.refusal };
}

/** Cancel is the requester's alone, so only Approve and Reject need the approvers' groups. */
function groupsFor(
  deps: MembershipDeps,
  distribution: DistributionConfig,
  input: { userId: string; decision: Decision },
): Promise<Set<string>> {
  return input.decision === 'cancel'
    ? Promise.resolve(new Set<string>())
    : groupsOf(deps, input.userId, groupsToResolve(distribution, 'approve'));
}

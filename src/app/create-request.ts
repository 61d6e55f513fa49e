import { approvalChannelFor, findDistribution } from '../config/load-config';
import { suggestAliases } from '../domain/alias-suggestions';
import { newRequest } from '../domain/lifecycle';
import { holdFirstNotices } from '../domain/notice-transitions';
import type { PathInputMode } from '../domain/paths';
import {
  type BreakGlassGrant,
  canRequest,
  checkReason,
  grantBreakGlass,
  groupsToResolve,
  type PolicyRefusal,
  type RequestRefusal,
} from '../domain/policy';
import type { InvalidationRequest } from '../domain/request';
import { type AllowedDistributionsDeps, allowedDistributions } from './allowed-distributions';
import type { BotDeps } from './deps';
import type { KickEvent } from './kick';
import { groupsOf } from './membership';
import { requestItems, resolveTarget } from './request-items';

export interface CreateRequestInput {
  requesterId: string;
  /** Undefined: a URL-only request, which goes to the distribution owning the URLs' hosts. */
  alias: string | undefined;
  pathsText: string;
  mode: PathInputMode;
  reason: string;
  /** Same key, same request: a submission Slack delivers twice creates one request. */
  idempotencyKey: string;
  /** Queue a DM telling the requester it is recorded (the modal closes without an answer). */
  confirmByDm?: boolean;
  /** Skip approval (break-glass); only for people in the target's `breakGlass`, with a reason. */
  breakGlass?: boolean;
}

/** Refusals as codes and facts; slack/messages words them. */
export type CreateRefusal =
  | RequestRefusal
  | Extract<PolicyRefusal, { code: 'not-requester' }>
  | {
      code: 'unknown-distribution';
      typed: string;
      suggestions: readonly string[];
      allowed: readonly string[];
    };

export type CreateRequestOutcome =
  | { kind: 'invalid'; field: 'distribution' | 'paths' | 'reason'; message: string }
  | { kind: 'refused'; field: 'distribution' | 'reason' | 'break_glass'; refusal: CreateRefusal }
  /**
   * `followUp`: the kick that hands the rest to the worker: the card and the notices this
   * caller holds (see holdFirstNotices), and the request item if the store left it to the worker.
   * A duplicate is a redelivery: kicked again in case the first kick was lost (the work runs once).
   */
  | { kind: 'created'; request: InvalidationRequest; followUp: KickEvent }
  | { kind: 'duplicate'; request: InvalidationRequest; followUp: KickEvent };

export const MAX_REASON_LENGTH = 1_000;

export type CreateRequestDeps = Pick<BotDeps, 'settings' | 'store' | 'clock' | 'newId'> &
  AllowedDistributionsDeps;

/** Validates everything before anything is stored; stores the request with its card queued. */
export async function createRequest(
  deps: CreateRequestDeps,
  input: CreateRequestInput,
): Promise<CreateRequestOutcome> {
  if (input.alias !== undefined && !findDistribution(deps.config, input.alias)) {
    return {
      kind: 'refused',
      field: 'distribution',
      refusal: await unknownDistribution(deps, input.requesterId, input.alias),
    };
  }
  const target = resolveTarget(deps.config, input.alias, input.pathsText, input.mode);
  if (!target.ok) return { kind: 'invalid', field: target.field, message: target.message };
  const distribution = target.distribution;
  const groups = await groupsOf(deps, input.requesterId, groupsToResolve(distribution, 'request'));
  const allowed = canRequest(distribution, input.requesterId, groups);
  if (!allowed.allowed) return { kind: 'refused', field: 'distribution', refusal: allowed.refusal };

  const reason = input.reason.trim();
  if (reason.length > MAX_REASON_LENGTH) {
    return {
      kind: 'invalid',
      field: 'reason',
      message: `The reason is too long (${reason.length} characters, at most ${MAX_REASON_LENGTH}).`,
    };
  }

  const missingReason = checkReason(distribution, reason);
  let grant: BreakGlassGrant | undefined;
  if (input.breakGlass === true) {
    const bgGroups = await groupsOf(deps, input.requesterId, groupsToResolve(distribution, 'break-glass'));
    const granted = grantBreakGlass(distribution, input.requesterId, bgGroups, reason);
    if (!granted.ok) {
      deps.log.warn('break-glass refused', {
        user: input.requesterId,
        distribution: distribution.alias,
        code: granted.refusal.code,
      });
      return {
        kind: 'refused',
        field: granted.refusal.code === 'break-glass-needs-reason' ? 'reason' : 'break_glass',
        refusal: granted.refusal,
      };
    }
    grant = granted.grant;
  } else if (missingReason !== undefined) {
    return { kind: 'refused', field: 'reason', refusal: missingReason };
  }

  const parsed = requestItems(deps.config, target, input.pathsText, input.mode);
  if (!parsed.ok) return { kind: 'invalid', field: parsed.field, message: parsed.message };

  const fresh = newRequest({
    id: deps.newId(),
    distribution,
    channel: approvalChannelFor(deps.config, distribution),
    requesterId: input.requesterId,
    reason,
    paths: parsed.paths,
    wildcardCount: parsed.wildcardCount,
    now: deps.clock.now(),
    expiryMinutes: deps.config.requestExpiryMinutes,
    remindAfterMinutes: deps.config.remindAfterMinutes,
    dryRun: deps.settings.dryRun,
    ...(input.confirmByDm ? { confirmByDm: true } : {}),
    ...(parsed.normalised !== undefined ? { normalised: parsed.normalised } : {}),
    ...(grant !== undefined ? { breakGlass: grant } : {}),
  });
  const { request, held } = holdFirstNotices(fresh.request, deps.clock.now());
  const created = await deps.store.create(request, fresh.event, input.idempotencyKey);
  deps.log.info(created.created ? 'request created' : 'duplicate submission', {
    requestId: created.request.id,
    distribution: distribution.alias,
    paths: created.request.paths.length,
    ...(grant !== undefined ? { breakGlass: true } : {}),
  });
  // Said loudly in the logs too; the BreakGlassRequests metric (and its alarm) comes from the
  // audit event the store wrote (observability/metered-store.ts).
  if (grant !== undefined && created.created) {
    deps.log.warn('break-glass used', {
      requestId: created.request.id,
      user: input.requesterId,
      distribution: distribution.alias,
    });
  }
  const followUp: KickEvent = {
    kick: 'request',
    requestId: created.request.id,
    createdUnder: input.idempotencyKey,
    ...(created.created && held.length > 0 ? { held: held.map((n) => n.id) } : {}),
  };
  return created.created
    ? { kind: 'created', request: created.request, followUp }
    : { kind: 'duplicate', request: created.request, followUp };
}

/** No such alias: the closest ones this person may use, and all of them. */
export async function unknownDistribution(
  deps: AllowedDistributionsDeps,
  userId: string,
  typed: string,
): Promise<CreateRefusal> {
  const allowed = (await allowedDistributions(deps, userId)).map((d) => d.alias);
  return { code: 'unknown-distribution', typed, suggestions: suggestAliases(typed, allowed), allowed };
}

import { approvalChannelFor, findDistribution } from '../domain/config-loader';
import { holdFirstNotices, newRequest } from '../domain/lifecycle';
import { formatPathErrors, type PathInputMode, parsePaths } from '../domain/paths';
import { canRequest, groupsToResolve } from '../domain/policy';
import type { InvalidationRequest, Notice } from '../domain/request';
import type { BotDeps } from './deps';
import { groupsOf } from './membership';

export interface CreateRequestInput {
  requesterId: string;
  alias: string;
  pathsText: string;
  mode: PathInputMode;
  reason: string;
  /** Same key, same request: a submission Slack delivers twice creates one request. */
  idempotencyKey: string;
  /** Queue a DM telling the requester it is recorded (the modal closes without an answer). */
  confirmByDm?: boolean;
}

export type CreateRequestOutcome =
  | { kind: 'invalid'; field: 'distribution' | 'paths' | 'reason'; message: string }
  /** `held`: the notices this caller holds and should deliver now (see holdFirstNotices). */
  | { kind: 'created'; request: InvalidationRequest; held: Notice[] }
  | { kind: 'duplicate'; request: InvalidationRequest };

export const MAX_REASON_LENGTH = 1_000;

/** Validates everything before anything is stored; stores the request with its card queued. */
export async function createRequest(deps: BotDeps, input: CreateRequestInput): Promise<CreateRequestOutcome> {
  const distribution = findDistribution(deps.config, input.alias);
  if (!distribution) {
    const known = deps.config.distributions.map((d) => d.alias).join(', ');
    return {
      kind: 'invalid',
      field: 'distribution',
      message: `Unknown distribution "${input.alias}". Known: ${known}.`,
    };
  }
  const groups = await groupsOf(deps, input.requesterId, groupsToResolve(distribution, 'request'));
  const allowed = canRequest(distribution, input.requesterId, groups);
  if (!allowed.allowed) return { kind: 'invalid', field: 'distribution', message: allowed.reason };

  const reason = input.reason.trim();
  if (reason.length > MAX_REASON_LENGTH) {
    return {
      kind: 'invalid',
      field: 'reason',
      message: `The reason is too long (${reason.length} characters, at most ${MAX_REASON_LENGTH}).`,
    };
  }

  const parsed = parsePaths(input.pathsText, input.mode);
  if (!parsed.ok) {
    return {
      kind: 'invalid',
      field: 'paths',
      message: formatPathErrors(parsed.errors, 10, parsed.moreErrors, input.mode),
    };
  }

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
    dryRun: deps.settings.dryRun,
    ...(input.confirmByDm ? { confirmByDm: true } : {}),
  });
  const { request, held } = holdFirstNotices(fresh.request, deps.clock.now());
  const created = await deps.store.create(request, fresh.event, input.idempotencyKey);
  deps.log.info(created.created ? 'request created' : 'duplicate submission', {
    requestId: created.request.id,
    distribution: distribution.alias,
    paths: created.request.paths.length,
  });
  return created.created
    ? { kind: 'created', request: created.request, held }
    : { kind: 'duplicate', request: created.request };
}

import type { AuditEvent, InvalidationRequest, Notice } from '../domain/request';

/**
 * What the use cases need from the outside world. The adapters (store/,
 * cloudfront/, slack/) implement these; tests run the real adapters against
 * local servers.
 */

export interface Clock {
  now(): Date;
}

/** The result of a change: what to write, or why nothing is written. */
export type Change<R> =
  | { kind: 'write'; next: InvalidationRequest; events: AuditEvent[]; result: R }
  | { kind: 'stop'; result: R };

export type CreateResult =
  | { created: true; request: InvalidationRequest }
  | { created: false; request: InvalidationRequest };

export type UpdateResult<R> =
  | { kind: 'written'; request: InvalidationRequest; result: R }
  | { kind: 'stopped'; request: InvalidationRequest; result: R }
  | { kind: 'missing' };

export interface RequestStore {
  /** Creates the request, or returns the one already created under the same idempotency key. */
  create(request: InvalidationRequest, event: AuditEvent, idempotencyKey: string): Promise<CreateResult>;
  /**
   * `createdUnder`: the idempotency key the request was created under, where the caller has it
   * (a kick). It also finds a creation whose writer left its request item to the next reader.
   */
  get(id: string, createdUnder?: string): Promise<InvalidationRequest | undefined>;
  /**
   * Read, decide, conditionally write (status + version), retrying the whole
   * cycle when another writer won. `decide` must be pure: it may run more than once.
   *
   * `known`: a request this store returned, as the caller holds it. The first
   * cycle decides on it instead of reading; if it is out of date the write fails
   * and the cycle re-reads. A `stop` decided on it is returned without a read, so
   * pass it only where deciding on state a moment old is as good as a fresh read.
   */
  update<R>(
    id: string,
    decide: (current: InvalidationRequest) => Change<R>,
    known?: InvalidationRequest,
  ): Promise<UpdateResult<R>>;
  /** Requests that need the poller (in flight, undecided, or owed a notice) due at or before `now`. */
  listDue(now: Date, limit?: number): Promise<InvalidationRequest[]>;
  listByRequester(userId: string, limit?: number): Promise<InvalidationRequest[]>;
  listByDistribution(distributionId: string, limit?: number): Promise<InvalidationRequest[]>;
  listEvents(id: string): Promise<AuditEvent[]>;
}

export type GatewayError = {
  kind: 'transient' | 'permanent';
  /** CloudFront's error code (e.g. `TooManyInvalidationsInProgress`), or `NetworkError`. */
  code: string;
  /** What a person in Slack is told: what went wrong and what to do. */
  message: string;
};

export type GatewayResult<T> = { ok: true; value: T } | { ok: false; error: GatewayError };

export interface InvalidationInfo {
  invalidationId: string;
  /** `InProgress` or `Completed`. */
  status: string;
  createTime?: string;
}

export interface DistributionTarget {
  distributionId: string;
  /** A tenant (`dt_…`) of a multi-tenant distribution: the tenant operations are used. */
  tenantId?: string;
  roleArn?: string;
}

/** Who caused a CloudFront call, so CloudTrail can name the bot request behind it. */
export interface CallAttribution {
  requestId: string;
  requesterId: string;
  approverIds: readonly string[];
}

export interface GatewayCallOptions {
  /** Aborts the call (a deadline within the Lambda's remaining time); an aborted call is transient. */
  signal?: AbortSignal;
  attribution?: CallAttribution;
}

export interface InvalidationGateway {
  /** CallerReference = request id (batch n > 1: `<id>-<n>`), so a retry returns the same invalidation. */
  submit(
    target: DistributionTarget,
    callerReference: string,
    paths: readonly string[],
    options?: GatewayCallOptions,
  ): Promise<GatewayResult<InvalidationInfo>>;
  get(
    target: DistributionTarget,
    invalidationId: string,
    options?: GatewayCallOptions,
  ): Promise<GatewayResult<InvalidationInfo>>;
}

/** Outcome of trying to tell Slack something. */
export type DeliveryResult =
  | { ok: true; cardTs?: string; cardPermalink?: string }
  | {
      ok: false;
      retryAfterMs?: number;
      permanent?: boolean;
      error: string;
      /** For the requester, when a refusal ends their request: what is wrong and the fix. */
      message?: string;
    };

export interface Messenger {
  deliver(request: InvalidationRequest, notice: Notice): Promise<DeliveryResult>;
}

/**
 * User-group members as last fetched from Slack, kept where every container
 * can read them (the table), so a cold container need not wait on Slack.
 */
export interface GroupMembersCache {
  read(groupId: string): Promise<{ members: readonly string[]; fetchedAt: Date } | undefined>;
  write(groupId: string, members: readonly string[], fetchedAt: Date): Promise<void>;
}

export interface UserGroupDirectory {
  /** Members of a Slack user group (`S…`). */
  members(groupId: string): Promise<readonly string[]>;
}

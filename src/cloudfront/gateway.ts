import {
  CloudFrontClient,
  type CloudFrontClientConfig,
  CreateInvalidationCommand,
  CreateInvalidationForDistributionTenantCommand,
  GetInvalidationCommand,
  GetInvalidationForDistributionTenantCommand,
  type Invalidation,
  ListDistributionsCommand,
} from '@aws-sdk/client-cloudfront';
import type {
  Clock,
  DistributionTarget,
  GatewayCallOptions,
  GatewayResult,
  InvalidationGateway,
  InvalidationInfo,
} from '../app/ports';
import {
  type CallContext,
  type CloudFrontOperation,
  toGatewayError,
  UnexpectedResponseError,
} from './errors';
import { requestSession } from './request-session';
import { createRoleCredentials, type RoleCredentials, type SessionSpec } from './role-credentials';

export interface CloudFrontGatewayOptions {
  /** Endpoint override (CLOUDFRONT_ENDPOINT), e.g. a loopback fake in tests. */
  endpoint?: string;
  region?: string;
  /** Base credentials; the SDK's default chain when absent. Also used to call AssumeRole. */
  credentials?: CloudFrontClientConfig['credentials'];
  stsEndpoint?: string;
  /**
   * INVALIDATOR_ROLE_ARN: the stack's role with the CloudFront rights on same-account targets.
   * Unset (dev, tests): same-account calls use the base credentials.
   */
  invalidatorRoleArn?: string;
  clock?: Clock;
  /**
   * SDK attempts per call. Kept small so a transient error reaches the poller,
   * which owns retrying with backoff, instead of hiding in a long SDK retry loop.
   */
  maxAttempts?: number;
}

export interface DistributionSummary {
  id: string;
  aliases: string[];
  comment: string;
  domainName: string;
  status: string;
}

export interface CloudFrontGateway extends InvalidationGateway {
  /** Every distribution visible to the role (or the bot's own credentials), all pages. */
  listDistributions(target?: { roleArn?: string }): Promise<GatewayResult<DistributionSummary[]>>;
}

/** CloudFront's page size limit for ListDistributions. */
const PAGE_SIZE = 100;

/**
 * A Lambda must not hang on a dead connection; the poller retries instead. The
 * SDK only logs a passed requestTimeout unless told to throw; callers may end a
 * call sooner with an abort signal.
 */
const REQUEST_HANDLER = { connectionTimeout: 3_000, requestTimeout: 10_000, throwOnRequestTimeout: true };

/** Runs CloudFront work on the client a call should use (the check clients, or a submission's session). */
type ClientFor = <U>(work: (client: CloudFrontClient) => Promise<U>) => Promise<U>;

/** One invalidation operation: its name, for the error it may map to, and the request that makes it. */
interface InvalidationOperation {
  operation: CloudFrontOperation;
  send: (client: CloudFrontClient, abort: SendOptions) => Promise<{ Invalidation?: Invalidation }>;
}

const systemClock: Clock = { now: () => new Date() };

export function createCloudFrontGateway(options: CloudFrontGatewayOptions = {}): CloudFrontGateway {
  const region = options.region ?? 'us-east-1';
  const maxAttempts = options.maxAttempts ?? 2;
  const roles = createRoleCredentials({
    region,
    stsEndpoint: options.stsEndpoint,
    credentials: options.credentials,
    clock: options.clock ?? systemClock,
    maxAttempts,
  });

  const newClient = (credentials: CloudFrontClientConfig['credentials']) =>
    new CloudFrontClient({
      region,
      endpoint: options.endpoint,
      credentials,
      maxAttempts,
      requestHandler: REQUEST_HANDLER,
    });

  let ownClient: CloudFrontClient | undefined;
  // Status checks: one client per role, replaced when the role's credentials are renewed.
  const roleClients = new Map<string, { issued: RoleCredentials; client: CloudFrontClient }>();

  /** Cross-account targets name their role; same-account ones use the stack's invalidator role. */
  const roleFor = (target: { roleArn?: string }): string | undefined =>
    target.roleArn ?? options.invalidatorRoleArn;

  function ownCredentialsClient(): CloudFrontClient {
    ownClient ??= newClient(options.credentials);
    return ownClient;
  }

  async function checkClient(roleArn: string | undefined): Promise<CloudFrontClient> {
    if (!roleArn) return ownCredentialsClient();
    const issued = await roles.get(roleArn);
    const current = roleClients.get(roleArn);
    if (current?.issued === issued) return current.client;
    current?.client.destroy();
    const client = newClient(issued.credentials);
    roleClients.set(roleArn, { issued, client });
    return client;
  }

  /**
   * A submission runs under a session of its own request, so CloudTrail names the request (and,
   * on the invalidator role, who asked and who approved). Batches of one request share it.
   */
  async function submitWith<T>(
    roleArn: string | undefined,
    session: SessionSpec,
    work: (client: CloudFrontClient) => Promise<T>,
  ): Promise<T> {
    if (!roleArn) return work(ownCredentialsClient());
    const issued = await roles.get(roleArn, session);
    const client = newClient(issued.credentials);
    try {
      return await work(client);
    } finally {
      client.destroy();
    }
  }

  async function call<T>(
    ctx: CallContext,
    clientFor: ClientFor,
    work: (client: CloudFrontClient) => Promise<T>,
  ): Promise<GatewayResult<T>> {
    try {
      return { ok: true, value: await clientFor(work) };
    } catch (err) {
      return { ok: false, error: toGatewayError(err, ctx) };
    }
  }

  /**
   * An invalidation call on a target, answered with the invalidation. A tenant of a multi-tenant
   * distribution has its own operations: plain CreateInvalidation answers NoSuchDistribution for
   * a tenant-only distribution.
   */
  function invalidationCall(
    target: DistributionTarget,
    facts: Pick<CallContext, 'roleArn' | 'callerReference' | 'invalidationId'>,
    clientFor: ClientFor,
    callOptions: GatewayCallOptions,
    operations: { plain: InvalidationOperation; tenant: (tenantId: string) => InvalidationOperation },
  ): Promise<GatewayResult<InvalidationInfo>> {
    const { operation, send } =
      target.tenantId === undefined ? operations.plain : operations.tenant(target.tenantId);
    return call({ operation, ...target, ...facts }, clientFor, async (client) =>
      toInfo((await send(client, sendOptions(callOptions))).Invalidation),
    );
  }

  const forChecks =
    (roleArn: string | undefined) =>
    async <U>(work: (client: CloudFrontClient) => Promise<U>): Promise<U> =>
      work(await checkClient(roleArn));

  return {
    submit(
      target: DistributionTarget,
      callerReference: string,
      paths: readonly string[],
      callOptions: GatewayCallOptions = {},
    ) {
      const batch = {
        CallerReference: callerReference,
        Paths: { Quantity: paths.length, Items: [...paths] },
      };
      const roleArn = roleFor(target);
      // Source identity and tags only on the stack's own role: its trust policy allows them.
      const onInvalidatorRole = roleArn !== undefined && roleArn === options.invalidatorRoleArn;
      const session = requestSession(callerReference, callOptions.attribution, onInvalidatorRole);
      const withSession = <U>(work: (client: CloudFrontClient) => Promise<U>) =>
        submitWith(roleArn, session, work);
      return invalidationCall(target, { roleArn, callerReference }, withSession, callOptions, {
        plain: {
          operation: 'CreateInvalidation',
          send: (client, abort) =>
            client.send(
              new CreateInvalidationCommand({
                DistributionId: target.distributionId,
                InvalidationBatch: batch,
              }),
              abort,
            ),
        },
        tenant: (tenantId) => ({
          operation: 'CreateInvalidationForDistributionTenant',
          send: (client, abort) =>
            client.send(
              new CreateInvalidationForDistributionTenantCommand({ Id: tenantId, InvalidationBatch: batch }),
              abort,
            ),
        }),
      });
    },

    get(target: DistributionTarget, invalidationId: string, callOptions: GatewayCallOptions = {}) {
      const roleArn = roleFor(target);
      return invalidationCall(target, { roleArn, invalidationId }, forChecks(roleArn), callOptions, {
        plain: {
          operation: 'GetInvalidation',
          send: (client, abort) =>
            client.send(
              new GetInvalidationCommand({ DistributionId: target.distributionId, Id: invalidationId }),
              abort,
            ),
        },
        tenant: (tenantId) => ({
          operation: 'GetInvalidationForDistributionTenant',
          send: (client, abort) =>
            client.send(
              new GetInvalidationForDistributionTenantCommand({
                DistributionTenantId: tenantId,
                Id: invalidationId,
              }),
              abort,
            ),
        }),
      });
    },

    listDistributions(target = {}) {
      const ctx: CallContext = { operation: 'ListDistributions', roleArn: target.roleArn };
      return call(ctx, forChecks(target.roleArn), async (client) => {
        const all: DistributionSummary[] = [];
        const seenMarkers = new Set<string>();
        let marker: string | undefined;
        do {
          const out = await client.send(
            new ListDistributionsCommand({ Marker: marker, MaxItems: PAGE_SIZE }),
          );
          const list = out.DistributionList;
          for (const d of list?.Items ?? []) {
            all.push({
              id: d.Id ?? '',
              aliases: d.Aliases?.Items ?? [],
              comment: d.Comment ?? '',
              domainName: d.DomainName ?? '',
              status: d.Status ?? '',
            });
          }
          marker = list?.IsTruncated ? list.NextMarker : undefined;
          // A marker seen before would page forever; stop rather than loop.
          if (marker !== undefined) {
            if (seenMarkers.has(marker)) break;
            seenMarkers.add(marker);
          }
        } while (marker);
        return all;
      });
    },
  };
}

type SendOptions = { abortSignal?: AbortSignal };

/** The SDK's requestTimeout only logs; an abort signal is what actually ends a hung call. */
function sendOptions(options: GatewayCallOptions): SendOptions {
  return options.signal ? { abortSignal: options.signal } : {};
}

function toInfo(invalidation: Invalidation | undefined): InvalidationInfo {
  if (!invalidation?.Id || !invalidation.Status) {
    throw new UnexpectedResponseError('CloudFront answered without an invalidation id and status');
  }
  return {
    invalidationId: invalidation.Id,
    status: invalidation.Status,
    createTime: invalidation.CreateTime?.toISOString(),
  };
}

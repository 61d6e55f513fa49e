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
import { type CallContext, toGatewayError, UnexpectedResponseError } from './errors';
import { createRoleCredentials, type RoleCredentials } from './role-credentials';

export interface CloudFrontGatewayOptions {
  /** Endpoint override (CLOUDFRONT_ENDPOINT), e.g. a loopback fake in tests. */
  endpoint?: string;
  region?: string;
  /** Base credentials; the SDK's default chain when absent. Also used to call AssumeRole. */
  credentials?: CloudFrontClientConfig['credentials'];
  stsEndpoint?: string;
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
  // One client per role, replaced when the role's credentials are renewed.
  const roleClients = new Map<string, { issued: RoleCredentials; client: CloudFrontClient }>();

  async function clientFor(roleArn: string | undefined): Promise<CloudFrontClient> {
    if (!roleArn) {
      ownClient ??= newClient(options.credentials);
      return ownClient;
    }
    const issued = await roles.get(roleArn);
    const current = roleClients.get(roleArn);
    if (current?.issued === issued) return current.client;
    current?.client.destroy();
    const client = newClient(issued.credentials);
    roleClients.set(roleArn, { issued, client });
    return client;
  }

  async function call<T>(
    ctx: CallContext,
    work: (client: CloudFrontClient) => Promise<T>,
  ): Promise<GatewayResult<T>> {
    try {
      const client = await clientFor(ctx.roleArn);
      return { ok: true, value: await work(client) };
    } catch (err) {
      return { ok: false, error: toGatewayError(err, ctx) };
    }
  }

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
      // A tenant of a multi-tenant distribution has its own operation: plain CreateInvalidation
      // answers NoSuchDistribution for a tenant-only distribution.
      const tenantId = target.tenantId;
      if (tenantId !== undefined) {
        const ctx: CallContext = {
          operation: 'CreateInvalidationForDistributionTenant',
          ...target,
          callerReference,
        };
        return call(ctx, async (client) => {
          const out = await client.send(
            new CreateInvalidationForDistributionTenantCommand({ Id: tenantId, InvalidationBatch: batch }),
            sendOptions(callOptions),
          );
          return toInfo(out.Invalidation);
        });
      }
      const ctx: CallContext = { operation: 'CreateInvalidation', ...target, callerReference };
      return call(ctx, async (client) => {
        const out = await client.send(
          new CreateInvalidationCommand({ DistributionId: target.distributionId, InvalidationBatch: batch }),
          sendOptions(callOptions),
        );
        return toInfo(out.Invalidation);
      });
    },

    get(target: DistributionTarget, invalidationId: string, callOptions: GatewayCallOptions = {}) {
      const tenantId = target.tenantId;
      if (tenantId !== undefined) {
        const ctx: CallContext = {
          operation: 'GetInvalidationForDistributionTenant',
          ...target,
          invalidationId,
        };
        return call(ctx, async (client) => {
          const out = await client.send(
            new GetInvalidationForDistributionTenantCommand({
              DistributionTenantId: tenantId,
              Id: invalidationId,
            }),
            sendOptions(callOptions),
          );
          return toInfo(out.Invalidation);
        });
      }
      const ctx: CallContext = { operation: 'GetInvalidation', ...target, invalidationId };
      return call(ctx, async (client) => {
        const out = await client.send(
          new GetInvalidationCommand({ DistributionId: target.distributionId, Id: invalidationId }),
          sendOptions(callOptions),
        );
        return toInfo(out.Invalidation);
      });
    },

    listDistributions(target = {}) {
      const ctx: CallContext = { operation: 'ListDistributions', roleArn: target.roleArn };
      return call(ctx, async (client) => {
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

/** The SDK's requestTimeout only logs; an abort signal is what actually ends a hung call. */
function sendOptions(options: GatewayCallOptions): { abortSignal?: AbortSignal } {
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

import {
  AssumeRoleCommand,
  type AssumeRoleCommandOutput,
  STSClient,
  type STSClientConfig,
} from '@aws-sdk/client-sts';
import type { Clock } from '../app/ports';
import { AssumeRoleError, toAssumeRoleError } from './errors';

/** The session status checks share, per role: they change nothing, so no request owns them. */
export const STATUS_SESSION_NAME = 'cf-invalidation-bot-status';

/** Renew this long before expiry, so a call never goes out with credentials about to lapse. */
const RENEW_BEFORE_MS = 5 * 60_000;

/**
 * An assumed-role session as CloudTrail shows it: `assumed-role/<role>/<name>` on every call made
 * with it; the source identity and the session tags sit on the AssumeRole event (README, "Finding
 * a request's calls in CloudTrail").
 */
export interface SessionSpec {
  name: string;
  /** Needs sts:SetSourceIdentity in the role's trust policy. */
  sourceIdentity?: string;
  /** Need sts:TagSession in the role's trust policy. */
  tags?: readonly { key: string; value: string }[];
}

export interface RoleCredentialsOptions {
  region: string;
  stsEndpoint?: string;
  /** Who calls AssumeRole; the default credential chain when absent. */
  credentials?: STSClientConfig['credentials'];
  clock: Clock;
  maxAttempts: number;
}

export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration: Date;
}

export interface RoleCredentials {
  credentials: TemporaryCredentials;
  expiresAt: Date;
}

/**
 * Temporary credentials per IAM role and session, assumed with STS and kept until shortly
 * before they expire (by the injected clock, so tests can age them). A request's session
 * serves every batch of that request; expired sessions are dropped as new ones are made.
 */
export function createRoleCredentials(options: RoleCredentialsOptions) {
  let sts: STSClient | undefined;
  const cache = new Map<string, RoleCredentials>();
  const pending = new Map<string, Promise<RoleCredentials>>();

  function client(): STSClient {
    sts ??= new STSClient({
      region: options.region,
      endpoint: options.stsEndpoint,
      credentials: options.credentials,
      maxAttempts: options.maxAttempts,
    });
    return sts;
  }

  const fresh = (c: RoleCredentials | undefined): c is RoleCredentials =>
    c !== undefined && c.expiresAt.getTime() - RENEW_BEFORE_MS > options.clock.now().getTime();

  async function assume(roleArn: string, session: SessionSpec): Promise<RoleCredentials> {
    let out: AssumeRoleCommandOutput;
    try {
      out = await client().send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: session.name,
          ...(session.sourceIdentity ? { SourceIdentity: session.sourceIdentity } : {}),
          ...(session.tags?.length
            ? { Tags: session.tags.map((t) => ({ Key: t.key, Value: t.value })) }
            : {}),
        }),
      );
    } catch (err) {
      throw new AssumeRoleError(toAssumeRoleError(err, roleArn));
    }
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.Expiration) {
      throw new AssumeRoleError({
        kind: 'transient',
        code: 'IncompleteCredentials',
        message: `AWS STS returned incomplete credentials for role ${roleArn}. The bot will retry automatically.`,
      });
    }
    return {
      credentials: {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
        expiration: c.Expiration,
      },
      expiresAt: c.Expiration,
    };
  }

  return {
    /** Cached credentials for `roleArn` in `session`, assuming the role again when they are near expiry. */
    async get(
      roleArn: string,
      session: SessionSpec = { name: STATUS_SESSION_NAME },
    ): Promise<RoleCredentials> {
      const key = `${roleArn}\n${session.name}`;
      const cached = cache.get(key);
      if (fresh(cached)) return cached;
      // Concurrent calls for the same session share one AssumeRole.
      let inFlight = pending.get(key);
      if (!inFlight) {
        inFlight = assume(roleArn, session).finally(() => pending.delete(key));
        pending.set(key, inFlight);
      }
      const issued = await inFlight;
      for (const [k, c] of cache) if (!fresh(c)) cache.delete(k);
      cache.set(key, issued);
      return issued;
    },
  };
}

export type RoleCredentialsCache = ReturnType<typeof createRoleCredentials>;

import {
  AssumeRoleCommand,
  type AssumeRoleCommandOutput,
  STSClient,
  type STSClientConfig,
} from '@aws-sdk/client-sts';
import type { Clock } from '../app/ports';
import { AssumeRoleError, toAssumeRoleError } from './errors';

export const ROLE_SESSION_NAME = 'cf-invalidation-bot';

/** Renew this long before expiry, so a call never goes out with credentials about to lapse. */
const RENEW_BEFORE_MS = 5 * 60_000;

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
 * Temporary credentials per IAM role, assumed with STS and kept until shortly
 * before they expire (by the injected clock, so tests can age them).
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

  async function assume(roleArn: string): Promise<RoleCredentials> {
    let out: AssumeRoleCommandOutput;
    try {
      out = await client().send(
        new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: ROLE_SESSION_NAME }),
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
    /** Cached credentials for `roleArn`, assuming the role again when they are near expiry. */
    async get(roleArn: string): Promise<RoleCredentials> {
      const cached = cache.get(roleArn);
      if (cached && cached.expiresAt.getTime() - RENEW_BEFORE_MS > options.clock.now().getTime()) {
        return cached;
      }
      // Concurrent calls for the same role share one AssumeRole.
      let inFlight = pending.get(roleArn);
      if (!inFlight) {
        inFlight = assume(roleArn).finally(() => pending.delete(roleArn));
        pending.set(roleArn, inFlight);
      }
      const fresh = await inFlight;
      cache.set(roleArn, fresh);
      return fresh;
    },
  };
}

export type RoleCredentialsCache = ReturnType<typeof createRoleCredentials>;

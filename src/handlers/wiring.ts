import { readFileSync } from 'node:fs';
import { WebClient } from '@slack/web-api';
import { monotonicFactory } from 'ulid';
import type { BotDeps } from '../app/deps';
import { dryRunGateway } from '../app/dry-run-gateway';
import type { Clock } from '../app/ports';
import { loadConfig } from '../domain/config-loader';
import { type Environment, parseEnvironment, type Role } from '../domain/environment';
import { jsonLogger } from '../observability/json-logger';
import { meteredStore } from '../observability/metered-store';
import { emfMetrics } from '../observability/metrics';
import { slackMessenger } from '../slack/delivery/slack-messenger';
import { userGroupDirectory } from '../slack/delivery/user-group-directory';
import { createDynamoRequestStore } from '../store/dynamo-request-store';
import { lazyGateway } from './lazy-gateway';

export const systemClock: Clock = { now: () => new Date() };

/** What tests may swap: the clock, to move time without waiting. */
export interface WiringOverrides {
  clock?: Clock;
}

export interface Runtime {
  env: Environment;
  deps: BotDeps;
  web: WebClient;
}

/**
 * Slack Web API client for our own posts. Rate limits are surfaced rather than
 * waited out inside a Lambda: the outbox retries after Retry-After.
 */
export function slackWebClient(env: Environment): WebClient {
  return new WebClient(env.botToken, {
    ...(env.slackApiUrl ? { slackApiUrl: env.slackApiUrl } : {}),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 2, minTimeout: 100, maxTimeout: 1_000 },
    timeout: 5_000,
  });
}

/** Builds every dependency from the environment contract. Called once per cold start. */
export function buildRuntime(
  role: Role,
  source: Readonly<Record<string, string | undefined>> = process.env,
  overrides: WiringOverrides = {},
): Runtime {
  const env = parseEnvironment(source, role);
  const config = loadConfig(source, (path) => readFileSync(path, 'utf8'));
  const clock = overrides.clock ?? systemClock;
  const log = jsonLogger({ role, ...(env.dryRun ? { dryRun: true } : {}) });
  const web = slackWebClient(env);
  // Both load their AWS SDK client on first use, from files of their own in the Lambda bundles.
  const store = meteredStore(
    createDynamoRequestStore({
      tableName: env.tableName,
      ...(env.dynamodbEndpoint ? { endpoint: env.dynamodbEndpoint } : {}),
    }),
    // CloudWatch metrics from the audit events the store writes (README, "Logs and metrics").
    emfMetrics(source.AWS_LAMBDA_FUNCTION_NAME ?? `local-${role}`),
  );
  const gateway = env.dryRun
    ? dryRunGateway(clock)
    : lazyGateway(async () => {
        const { createCloudFrontGateway } = await import('../cloudfront/gateway');
        return createCloudFrontGateway({
          // A test's CloudFront fake also answers STS AssumeRole, so one override serves both.
          ...(env.cloudfrontEndpoint
            ? { endpoint: env.cloudfrontEndpoint, stsEndpoint: env.cloudfrontEndpoint }
            : {}),
          ...(env.invalidatorRoleArn ? { invalidatorRoleArn: env.invalidatorRoleArn } : {}),
          clock,
        });
      });
  const newUlid = monotonicFactory();
  const deps: BotDeps = {
    config,
    settings: {
      dryRun: env.dryRun,
      pollIntervalMs: env.pollIntervalMs,
      pollBudgetMs: env.pollBudgetMs,
      stillInProgressAfterMs: env.stillInProgressAfterMs,
    },
    store,
    gateway,
    messenger: slackMessenger(web, config),
    groups: userGroupDirectory(web),
    clock,
    newId: () => newUlid(clock.now().getTime()),
    log,
  };
  return { env, deps, web };
}

import { readFileSync } from 'node:fs';
import { WebClient } from '@slack/web-api';
import { monotonicFactory } from 'ulid';
import type { BotDeps } from '../app/deps';
import { dryRunGateway } from '../app/dry-run-gateway';
import type { KickEvent, Kicker } from '../app/kick';
import type { Clock } from '../app/ports';
import { type Environment, parseEnvironment, type Role } from '../config/environment';
import { loadConfig } from '../config/load-config';
import { jsonLogger } from '../observability/json-logger';
import { meteredStore } from '../observability/metered-store';
import { emfMetrics } from '../observability/metrics';
import { madeOnFirstUse } from '../shared/on-first-use';
import { slackMessenger } from '../slack/delivery/slack-messenger';
import { userGroupDirectory } from '../slack/delivery/user-group-directory';
import { dynamoAccess } from '../store/dynamo-access';
import { createDynamoRequestStore } from '../store/dynamo-request-store';
import { dynamoGroupMembersCache } from '../store/group-members-cache';
import { lambdaKicker } from '../worker/lambda-kicker';
import { runKick } from '../worker/run-kick';
import { lazyGateway } from './lazy-gateway';

export const systemClock: Clock = { now: () => new Date() };

/** What tests may swap: the clock, to move time without waiting. */
export interface WiringOverrides {
  clock?: Clock;
}

/**
 * The Slack secrets, given in the environment (dev, tests) or filled in here once the SSM read
 * answers (src/secrets): what uses them reads them when it is first used, not when built.
 */
export interface SlackSecrets {
  signingSecret?: string;
  botToken?: string;
}

export interface Runtime {
  env: Environment;
  deps: BotDeps;
  /** The Web API client for our own posts, constructed on first use. */
  web: () => WebClient;
  secrets: SlackSecrets;
}

/**
 * A worker's Web API call deadline. Long enough that a slow Slack (seconds) still posts once;
 * a hung one must not hold the run: the outbox retries after its lease.
 */
export const SLACK_CALL_TIMEOUT_MS = 10_000;

/**
 * Slack Web API client for our own posts. Rate limits are surfaced rather than
 * waited out inside a Lambda: the outbox retries after Retry-After. No client
 * retries: a post that timed out may have been made, and only the outbox,
 * after its lease, may decide to post again.
 */
export function slackWebClient(
  botToken: string | undefined,
  env: Environment,
  timeoutMs = SLACK_CALL_TIMEOUT_MS,
): WebClient {
  return new WebClient(botToken, {
    ...(env.slackApiUrl ? { slackApiUrl: env.slackApiUrl } : {}),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: timeoutMs,
  });
}

/** A group lookup the slack function awaits must leave time to answer within Slack's 3 s. */
export const ANSWER_PATH_SLACK_TIMEOUT_MS = 1_500;

/**
 * How follow-up work leaves a Slack request. With WORKER_FUNCTION, an
 * asynchronous invoke of the poller. Without it (a deploy with no worker): the
 * schedule does request work within a minute, and answers that cannot wait for
 * it (an ephemeral refusal, the App Home) are done here before answering.
 * `npm run dev` runs the worker in-process, after the answer.
 */
function kickerFor(role: Role, env: Environment, deps: BotDeps, web: () => WebClient): Kicker {
  const inline = (event: KickEvent) =>
    runKick(deps, web(), event).catch((error: unknown) => deps.log.error('kicked work failed', { error }));
  if (role === 'dev') {
    return {
      kick: async (event) => {
        setImmediate(() => void inline(event));
      },
    };
  }
  if (env.workerFunction) {
    return lambdaKicker({
      functionName: env.workerFunction,
      ...(env.lambdaEndpoint ? { endpoint: env.lambdaEndpoint } : {}),
      log: deps.log,
    });
  }
  return { kick: async (event) => (event.kick === 'request' ? undefined : inline(event)) };
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
  const secrets: SlackSecrets = { signingSecret: env.signingSecret, botToken: env.botToken };
  // The slack function kicks its posts to the worker: most of its cold starts never build one (~1.5 ms each).
  const web = madeOnFirstUse(() => slackWebClient(secrets.botToken, env));
  // Both load their AWS SDK client on first use, from files of their own in the Lambda bundles.
  const dynamo = dynamoAccess(env.dynamodbEndpoint ? { endpoint: env.dynamodbEndpoint } : {});
  const store = meteredStore(
    createDynamoRequestStore({
      tableName: env.tableName,
      access: dynamo,
      // Slack waits on the slack function's writes; the worker (kicked, or the schedule) stores their events.
      deferEvents: role === 'slack',
      // One write before the answer: the kicked worker (given the key) writes the request item.
      deferRequestItem: role === 'slack',
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
  const messenger = madeOnFirstUse(() => slackMessenger(web(), config));
  const groups = madeOnFirstUse(() =>
    userGroupDirectory(
      role === 'slack' ? slackWebClient(secrets.botToken, env, ANSWER_PATH_SLACK_TIMEOUT_MS) : web(),
      {
        shared: dynamoGroupMembersCache(dynamo, env.tableName),
        onError: (what, error) => log.warn(`shared group members: ${what} failed`, { error }),
      },
    ),
  );
  // On first use: ulid's random source is Web Crypto, whose first touch costs a cold start ~1 ms.
  const newUlid = madeOnFirstUse(() => monotonicFactory());
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
    messenger: { deliver: (request, notice) => messenger().deliver(request, notice) },
    groups: { members: (groupId) => groups().members(groupId) },
    clock,
    newId: () => newUlid()(clock.now().getTime()),
    log,
    // Replaced below: the kicker's in-process forms run the worker over these same deps.
    kicker: { kick: async () => {} },
  };
  deps.kicker = kickerFor(role, env, deps, web);
  return { env, deps, web, secrets };
}

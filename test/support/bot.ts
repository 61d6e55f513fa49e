import type { Clock } from '../../src/app/ports';
import { createPollerHandler } from '../../src/handlers/poller';
import { createSlackHandler } from '../../src/handlers/slack';
import { type CloudFrontFake, startCloudFrontFake } from './cloudfront-fake';
import { type LocalDynamo, startDynalite } from './dynalite';
import { type SlackFake, startSlackFake } from './slack-fake';
import { type SignedEventOptions, type SlackBody, signedEvent } from './slack-requests';

/**
 * The whole bot on loopback: dynalite, the Slack fake, the CloudFront fake,
 * and the real Lambda handlers wired to them through the environment contract.
 * End-to-end tests send signed requests into `slack` and run `poll` exactly
 * as the schedule would.
 */

export const SIGNING_SECRET = 'e2e-signing-secret';

export const USERS = {
  alice: 'U0ALICE01',
  bob: 'U0BOB0001',
  carol: 'U0CAROL01',
  dave: 'U0DAVE001',
  eve: 'U0EVE0001',
} as const;

export const APPROVAL_CHANNEL = 'C0APPROVALS';
export const WWW_ID = 'E2QWRUHAPOMQZL';
export const STAGING_ID = 'E1STAGING0001';
export const SELF_ID = 'E3SELFAPPROVE1';

/** Two approvals for www (alice requests, bob and carol approve); staging needs none; `self` allows self-approval. */
export function defaultConfig(): Record<string, unknown> {
  return {
    approvalChannel: APPROVAL_CHANNEL,
    requestExpiryMinutes: 60,
    distributions: [
      {
        alias: 'www',
        id: WWW_ID,
        description: 'Public website',
        approvers: [USERS.bob, USERS.carol, 'S0SREGROUP'],
        requiredApprovals: 2,
        allowSelfApproval: false,
        requesters: ['*'],
      },
      { alias: 'staging', id: STAGING_ID, description: 'Staging', requiredApprovals: 0 },
      {
        alias: 'self',
        id: SELF_ID,
        description: 'Self-approval allowed',
        approvers: [USERS.alice, USERS.bob],
        requiredApprovals: 1,
        allowSelfApproval: true,
        requesters: [USERS.alice],
      },
    ],
  };
}

/** A clock tests move by hand; starts at the real time so Slack signatures stay fresh. */
export class ManualClock implements Clock {
  private ms = Date.now();
  now(): Date {
    return new Date(this.ms);
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

export interface LambdaResponse {
  statusCode: number;
  body: string;
  headers: Record<string, string>;
}

export interface Bot {
  env: Record<string, string>;
  dynamo: LocalDynamo;
  slackApi: SlackFake;
  cloudfront: CloudFrontFake;
  clock: ManualClock;
  /** Signs the body as Slack would and sends it through the real handler. */
  send(body: SlackBody | string, options?: Partial<SignedEventOptions>): Promise<LambdaResponse>;
  /** One scheduled poller run. */
  poll(): Promise<{ rounds: number; due: number }>;
  stop(): Promise<void>;
}

export interface StartBotOptions {
  config?: Record<string, unknown>;
  env?: Record<string, string>;
  /** Extra distributions the CloudFront fake knows. */
  distributions?: string[];
  /** GetInvalidation calls answered InProgress before Completed. */
  completeAfterChecks?: number;
}

export async function startBot(options: StartBotOptions = {}): Promise<Bot> {
  const [dynamo, slackApi, cloudfront] = await Promise.all([
    startDynalite(),
    startSlackFake(),
    startCloudFrontFake({
      distributions: [WWW_ID, STAGING_ID, SELF_ID, ...(options.distributions ?? [])],
      completeAfterChecks: options.completeAfterChecks ?? 1,
    }),
  ]);
  const env: Record<string, string> = {
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: 'xoxb-e2e-token',
    SLACK_API_URL: slackApi.apiUrl,
    TABLE_NAME: dynamo.tableName,
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    CLOUDFRONT_ENDPOINT: cloudfront.endpoint,
    BOT_CONFIG: JSON.stringify(options.config ?? defaultConfig()),
    POLL_INTERVAL_MS: '10',
    POLL_BUDGET_MS: '0',
    ...options.env,
  };
  // The AWS SDK reads credentials and region from the process environment.
  process.env.AWS_ACCESS_KEY_ID = 'e2e';
  process.env.AWS_SECRET_ACCESS_KEY = 'e2e';
  process.env.AWS_REGION = 'us-east-1';

  const clock = new ManualClock();
  const slack = createSlackHandler(env, { clock });
  const poller = createPollerHandler(env, { clock });

  return {
    env,
    dynamo,
    slackApi,
    cloudfront,
    clock,
    async send(body, signOptions = {}) {
      const event = signedEvent(body, { secret: SIGNING_SECRET, ...signOptions });
      const res = (await slack(event, {})) as LambdaResponse;
      return { statusCode: res.statusCode, body: res.body ?? '', headers: res.headers ?? {} };
    },
    poll: () => poller(),
    async stop() {
      await Promise.all([dynamo.stop(), slackApi.close(), cloudfront.stop()]);
    },
  };
}

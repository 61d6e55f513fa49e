import type { Clock, RequestStore } from '../../src/app/ports';
import type { InvalidationRequest } from '../../src/domain/request';
import { createPollerHandler } from '../../src/handlers/poller';
import { createSlackHandler } from '../../src/handlers/slack';
import { createDynamoRequestStore } from '../../src/store/dynamo-request-store';
import { type CloudFrontFake, type FakeOptions, startCloudFrontFake } from './cloudfront-fake';
import { type CountingProxy, startCountingProxy } from './counting-proxy';
import { type LocalDynamo, startDynalite } from './dynalite';
import { type LambdaFake, startLambdaFake } from './lambda-fake';
import { type SlackCall, type SlackFake, startSlackFake } from './slack-fake';
import {
  blockAction,
  type SignedEventOptions,
  type SlackBody,
  signedEvent,
  slashCommand,
  viewSubmission,
} from './slack-requests';

/**
 * The whole bot on loopback: dynalite, the Slack fake, the CloudFront fake,
 * and the real Lambda handlers wired to them through the environment contract.
 * End-to-end tests send signed requests into `slack` and run `poll` exactly
 * as the schedule would.
 */

export const SIGNING_SECRET = 'e2e-signing-secret';
/** WORKER_FUNCTION in the bots' environment: the Lambda fake runs the real poller handler under it. */
export const WORKER_FUNCTION = 'cf-bot-e2e-poller';

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

/** The e2e configs' www: two approvals from bob, carol or the SRE group; `fields` add to it. */
export function wwwDistribution(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    alias: 'www',
    id: WWW_ID,
    description: 'Public website',
    approvers: [USERS.bob, USERS.carol, 'S0SREGROUP'],
    requiredApprovals: 2,
    ...fields,
  };
}

/** The e2e configs' staging: no approval needed. */
export function stagingDistribution(): Record<string, unknown> {
  return { alias: 'staging', id: STAGING_ID, description: 'Staging', requiredApprovals: 0 };
}

/** Two approvals for www (alice requests, bob and carol approve); staging needs none; `self` allows self-approval. */
export function defaultConfig(): Record<string, unknown> {
  return {
    approvalChannel: APPROVAL_CHANNEL,
    requestExpiryMinutes: 60,
    distributions: [
      wwwDistribution({ allowSelfApproval: false, requesters: ['*'] }),
      stagingDistribution(),
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

/**
 * A ManualClock that also moves with real time, for a poller run that sleeps
 * between rounds: rechecks are scheduled on the injected clock, so a frozen
 * clock would never make them due within the run. `advance` still jumps ahead.
 */
export class LiveClock extends ManualClock {
  private readonly startedAt = performance.now();
  override now(): Date {
    return new Date(super.now().getTime() + Math.floor(performance.now() - this.startedAt));
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
  /** The Lambda Invoke API the slack handler kicks the worker through. */
  lambda: LambdaFake;
  clock: ManualClock;
  /**
   * Signs the body as Slack would, sends it through the real handler, and then
   * waits for the work it kicked to finish (so a test sees what Slack was sent).
   */
  send(body: SlackBody | string, options?: Partial<SignedEventOptions>): Promise<LambdaResponse>;
  /** As `send`, but returns with the answer, while kicked work may still be running. */
  answer(body: SlackBody | string, options?: Partial<SignedEventOptions>): Promise<LambdaResponse>;
  /** Waits until every kicked run has finished; throws what any of them threw. */
  drainKicks(): Promise<void>;
  /** One scheduled poller run. */
  poll(): Promise<{ rounds: number; due: number }>;
  stop(): Promise<void>;
  /** With `countDynamoCalls`: the proxy between the handlers and dynalite, recording each operation. */
  dynamoCalls?: CountingProxy;
}

export interface StartBotOptions {
  config?: Record<string, unknown>;
  env?: Record<string, string>;
  /** Extra distributions the CloudFront fake knows. */
  distributions?: string[];
  /** GetInvalidation calls answered InProgress before Completed. */
  completeAfterChecks?: number;
  /** Distribution tenants the CloudFront fake knows (their distribution becomes multi-tenant). */
  tenants?: { id: string; distributionId: string }[];
  /** A clock that moves with real time too (see LiveClock); default a frozen ManualClock. */
  liveClock?: boolean;
  /** Route the handlers' DynamoDB traffic through a counting proxy (`bot.dynamoCalls`). */
  countDynamoCalls?: boolean;
  /** Invalidations complete this long after creation instead of after `completeAfterChecks`. */
  completeAfterMs?: FakeOptions['completeAfterMs'];
  /** The CloudFront fake reads the bot's clock (call times, creation and completion), not the wall clock. */
  cloudfrontOnBotClock?: boolean;
  /** Every CloudFront and STS answer this late (the call takes effect at once); Infinity: never. */
  cloudfrontLatencyMs?: number;
}

export async function startBot(options: StartBotOptions = {}): Promise<Bot> {
  const clock = options.liveClock ? new LiveClock() : new ManualClock();
  const [dynamo, slackApi, cloudfront, lambda] = await Promise.all([
    startDynalite(),
    startSlackFake(),
    startCloudFrontFake({
      distributions: [WWW_ID, STAGING_ID, SELF_ID, ...(options.distributions ?? [])],
      completeAfterChecks: options.completeAfterChecks ?? 1,
      ...(options.completeAfterMs !== undefined ? { completeAfterMs: options.completeAfterMs } : {}),
      ...(options.cloudfrontOnBotClock ? { now: () => clock.now() } : {}),
      ...(options.tenants ? { tenants: options.tenants } : {}),
    }),
    startLambdaFake(),
  ]);
  const dynamoCalls = options.countDynamoCalls ? await startCountingProxy(dynamo.endpoint) : undefined;
  const slowCloudFront = options.cloudfrontLatencyMs
    ? await startCountingProxy(cloudfront.endpoint, { latencyMs: options.cloudfrontLatencyMs })
    : undefined;
  const env: Record<string, string> = {
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: 'xoxb-e2e-token',
    SLACK_API_URL: slackApi.apiUrl,
    TABLE_NAME: dynamo.tableName,
    DYNAMODB_ENDPOINT: dynamoCalls?.endpoint ?? dynamo.endpoint,
    CLOUDFRONT_ENDPOINT: slowCloudFront?.endpoint ?? cloudfront.endpoint,
    BOT_CONFIG: JSON.stringify(options.config ?? defaultConfig()),
    POLL_INTERVAL_MS: '10',
    POLL_BUDGET_MS: '0',
    WORKER_FUNCTION,
    LAMBDA_ENDPOINT: lambda.endpoint,
    ...options.env,
  };
  // The AWS SDK reads credentials and region from the process environment.
  process.env.AWS_ACCESS_KEY_ID = 'e2e';
  process.env.AWS_SECRET_ACCESS_KEY = 'e2e';
  process.env.AWS_REGION = 'us-east-1';

  const slack = createSlackHandler(env, { clock });
  const poller = createPollerHandler(env, { clock });
  lambda.register(WORKER_FUNCTION, (payload) => poller(payload));

  const answer = async (body: SlackBody | string, signOptions: Partial<SignedEventOptions> = {}) => {
    const event = signedEvent(body, { secret: SIGNING_SECRET, ...signOptions });
    const res = (await slack(event, {})) as LambdaResponse;
    return { statusCode: res.statusCode, body: res.body ?? '', headers: res.headers ?? {} };
  };
  let failuresSeen = 0;
  const drainKicks = async () => {
    await lambda.drain();
    const failures = lambda.failures();
    if (failures.length > failuresSeen) {
      const failure = failures[failures.length - 1];
      failuresSeen = failures.length;
      throw failure;
    }
  };

  return {
    env,
    dynamo,
    slackApi,
    cloudfront,
    lambda,
    clock,
    answer,
    drainKicks,
    async send(body, signOptions = {}) {
      const res = await answer(body, signOptions);
      await drainKicks();
      return res;
    },
    poll: () => poller(),
    async stop() {
      await lambda.drain();
      await Promise.all([
        dynamo.stop(),
        slackApi.close(),
        cloudfront.stop(),
        dynamoCalls?.stop(),
        slowCloudFront?.stop(),
        lambda.stop(),
      ]);
    },
    ...(dynamoCalls ? { dynamoCalls } : {}),
  };
}

// ---------------------------------------------------------------------------
// Scenario helpers for the Slack-side end-to-end tests (additive: nothing above depends on them).

/** A store over the bot's own table, to look at what the handlers wrote. */
export function storeOf(bot: Bot): RequestStore {
  return createDynamoRequestStore({ client: bot.dynamo.client, tableName: bot.dynamo.tableName });
}

/** Button values found anywhere in a message's blocks, by action id. */
export function buttonsOf(blocks: unknown): Record<string, string> {
  const found: Record<string, string> = {};
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    if (
      record.type === 'button' &&
      typeof record.action_id === 'string' &&
      typeof record.value === 'string'
    ) {
      found[record.action_id] = record.value;
    }
    for (const value of Object.values(record)) visit(value);
  };
  visit(blocks);
  return found;
}

/** Every text in a message (its `text` and all texts in its blocks), joined, for "does it mention X". */
export function textOf(args: Record<string, unknown>): string {
  const texts: string[] = [];
  const visit = (node: unknown): void => {
    if (typeof node === 'string') return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (key === 'text' && typeof value === 'string') texts.push(value);
      else visit(value);
    }
  };
  visit(args);
  return texts.join('\n');
}

/** The chat.postMessage that posted the card of a request (its Approve button carries the id), if any. */
export function cardPost(bot: Bot, requestId: string): SlackCall | undefined {
  return bot.slackApi
    .calls('chat.postMessage')
    .find(
      (call) => call.error === undefined && Object.values(buttonsOf(call.args.blocks)).includes(requestId),
    );
}

/** Thread replies under a card, in order. */
export function threadReplies(bot: Bot, channel: string, cardTs: string): SlackCall[] {
  return bot.slackApi
    .calls('chat.postMessage')
    .filter(
      (call) => call.error === undefined && call.args.channel === channel && call.args.thread_ts === cardTs,
    );
}

/** The texts of the thread replies under a card, in order. */
export function threadTexts(bot: Bot, channel: string, cardTs: string): string[] {
  return threadReplies(bot, channel, cardTs).map((call) => String(call.args.text));
}

export interface ModalRequest {
  userId: string;
  alias?: string;
  paths?: string;
  reason?: string;
  viewId?: string;
  /** Ids of files uploaded to the Slack fake (`bot.slackApi.addFile`), in the `paths_file` block. */
  pathsFile?: string[];
  /** Tick the break-glass checkbox. */
  breakGlass?: boolean;
}

/** Submits the request modal; returns the HTTP response and the request it stored (if any). */
export async function submitModal(
  bot: Bot,
  input: ModalRequest,
  signOptions: Partial<SignedEventOptions> = {},
): Promise<{ response: LambdaResponse; request: InvalidationRequest | undefined }> {
  const response = await bot.send(
    viewSubmission({
      userId: input.userId,
      ...(input.viewId ? { viewId: input.viewId } : {}),
      values: {
        ...(input.alias !== undefined ? { distribution: input.alias } : {}),
        ...(input.paths !== undefined ? { paths: input.paths } : {}),
        ...(input.reason !== undefined ? { reason: input.reason } : {}),
        ...(input.pathsFile !== undefined ? { pathsFile: input.pathsFile } : {}),
        ...(input.breakGlass === true ? { breakGlass: true } : {}),
      },
    }),
    signOptions,
  );
  const [request] = await storeOf(bot).listByRequester(input.userId, 1);
  return { response, request };
}

/** A modal submission's answer when the form is refused: `response_action: 'errors'` and the errors by block id. */
export interface InlineErrors {
  response_action: string;
  errors: Record<string, string>;
}

/** Reads a modal submission's answer as inline errors (see InlineErrors). */
export function inlineErrors(response: LambdaResponse): InlineErrors {
  return JSON.parse(response.body) as InlineErrors;
}

/** Clicks a card button as `userId`, the way Slack sends it (channel and card ts from the stored request). */
export function click(
  bot: Bot,
  userId: string,
  action: 'approve' | 'reject' | 'cancel' | 'request_again',
  request: Pick<InvalidationRequest, 'id' | 'channel' | 'cardTs'>,
): Promise<LambdaResponse> {
  return bot.send(
    blockAction({
      userId,
      actionId: action,
      value: request.id,
      channelId: request.channel,
      messageTs: request.cardTs ?? '1700000000.000000',
    }),
  );
}

/** Ephemeral messages the bot showed to one user. */
export function ephemeralsTo(bot: Bot, userId: string): SlackCall[] {
  return bot.slackApi.calls('chat.postEphemeral').filter((call) => call.args.user === userId);
}

// ---------------------------------------------------------------------------
// Scenario helpers for the poller end-to-end tests (additive).

/** `/invalidate <text>` as `userId` through the real handler; returns the request it stored. */
export async function quickRequest(bot: Bot, userId: string, text: string): Promise<InvalidationRequest> {
  const response = await bot.send(slashCommand({ text, userId, channelId: APPROVAL_CHANNEL }));
  if (response.statusCode !== 200) throw new Error(`/invalidate ${text}: HTTP ${response.statusCode}`);
  const [request] = await storeOf(bot).listByRequester(userId, 1);
  if (request === undefined) throw new Error(`/invalidate ${text} stored nothing: ${response.body}`);
  return request;
}

/** The request as stored now; throws when it is gone. */
export async function storedRequest(bot: Bot, id: string): Promise<InvalidationRequest> {
  const request = await storeOf(bot).get(id);
  if (request === undefined) throw new Error(`request ${id} is not stored`);
  return request;
}

/** Messages posted to a user id (the bot's DM with them). */
export function dmsTo(bot: Bot, userId: string): SlackCall[] {
  return bot.slackApi
    .calls('chat.postMessage')
    .filter((call) => call.error === undefined && call.args.channel === userId);
}

/** Updates of the message at `ts` (the card), in order. */
export function cardUpdates(bot: Bot, ts: string): SlackCall[] {
  return bot.slackApi.calls('chat.update').filter((call) => call.error === undefined && call.args.ts === ts);
}

/** The ts of a request's card, which thread replies hang off. */
export function cardTsOf(request: { cardTs?: string }): string {
  if (request.cardTs === undefined) throw new Error('the card was never posted');
  return request.cardTs;
}

/**
 * Rejects as `userId` the way a person does: Reject opens the form (`views.open`), then the
 * form is submitted with the optional reason. Returns both HTTP answers.
 */
export async function rejectWithForm(
  bot: Bot,
  userId: string,
  request: Pick<InvalidationRequest, 'id' | 'channel' | 'cardTs'>,
  reason?: string,
): Promise<{ click: LambdaResponse; submit: LambdaResponse }> {
  const clicked = await click(bot, userId, 'reject', request);
  const submit = await bot.send(
    viewSubmission({
      userId,
      callbackId: 'reject_request',
      privateMetadata: request.id,
      values: reason !== undefined ? { reason } : {},
    }),
  );
  return { click: clicked, submit };
}

import { createHmac, randomBytes } from 'node:crypto';
import type {
  BlockAction,
  BlockSuggestion,
  ButtonAction,
  EnvelopedEvent,
  SlashCommand,
  ViewOutput,
  ViewSubmitAction,
} from '@slack/bolt';
import type { AppHomeOpenedEvent } from '@slack/types';
import { dmChannelId, FAKE_WORKSPACE } from './slack-fake';

/**
 * Requests from Slack, shaped as API Gateway HTTP API (payload format 2.0) hands them to the Lambda,
 * signed the way Slack signs them. Payload shapes follow Slack's reference docs (slash command,
 * block_actions, view_submission, block_suggestion, event_callback) and are checked against Bolt's
 * own types with `satisfies`.
 *
 * Nothing here points at the internet: a payload's default `response_url` is a closed loopback port
 * (a stray `respond()` fails fast); pass `fake.responseUrl(id)` to observe responses.
 */

export type SlackContentType = 'application/x-www-form-urlencoded' | 'application/json';

export interface SlackBody {
  contentType: SlackContentType;
  rawBody: string;
}

/** The subset of `APIGatewayProxyEventV2` that HTTP API sends for `POST /slack/events`. */
export interface ApiGatewayV2Event {
  version: '2.0';
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  headers: Record<string, string>;
  requestContext: {
    accountId: string;
    apiId: string;
    domainName: string;
    domainPrefix: string;
    http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
    requestId: string;
    routeKey: string;
    stage: string;
    time: string;
    timeEpoch: number;
  };
  body: string;
  isBase64Encoded: boolean;
}

export interface SignedEventOptions {
  /** The signing secret Slack signs with (the handler's SLACK_SIGNING_SECRET for a genuine request). */
  secret: string;
  /** Only for a plain string body; a SlackBody carries its own. Default form-encoded. */
  contentType?: SlackContentType;
  /** Sign with a secret other than `secret`: a forged request. */
  wrongSecret?: boolean;
  /** Seconds since the epoch; default now (from `now`). */
  timestamp?: number;
  /** Make the timestamp this many seconds old; `STALE_AGE_SECONDS` is past Bolt's 5-minute window. */
  ageSeconds?: number;
  now?: Date;
  /** Slack's retry headers, as on a redelivered event. */
  retryNum?: number;
  retryReason?: string;
  /**
   * HTTP API base64-encodes every body whose content type it does not treat as text, and that
   * includes `application/x-www-form-urlencoded` (JSON arrives as plain text). Default: that rule.
   */
  base64?: boolean;
  path?: string;
  /** Extra or replacement headers (lower-case names). */
  headers?: Record<string, string>;
}

export const STALE_AGE_SECONDS = 600;

const NO_RESPONSE_URL = 'http://127.0.0.1:9/no-response-url';
const SLACK_USER_AGENT = 'Slackbot 1.0 (+https://api.slack.com/robots)';
const API_ID = 'fakeapi01';
const DOMAIN = `${API_ID}.execute-api.eu-west-1.amazonaws.com`;
let counter = 0;

const unique = (): string => `${Date.now()}${String(++counter).padStart(4, '0')}`;
const triggerId = (): string => `${unique()}.${Date.now() % 1e10}.${randomBytes(16).toString('hex')}`;
const actionTs = (): string => (Date.now() / 1000).toFixed(6);
const userName = (userId: string): string => userId.toLowerCase();
const team = { id: FAKE_WORKSPACE.teamId, domain: FAKE_WORKSPACE.teamDomain };
const user = (userId: string) => ({
  id: userId,
  username: userName(userId),
  name: userName(userId),
  team_id: FAKE_WORKSPACE.teamId,
});

export function slackSignature(secret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

function form(fields: Record<string, string>): SlackBody {
  return {
    contentType: 'application/x-www-form-urlencoded',
    rawBody: new URLSearchParams(fields).toString(),
  };
}

function interaction(payload: object): SlackBody {
  return form({ payload: JSON.stringify(payload) });
}

function json(body: object): SlackBody {
  return { contentType: 'application/json', rawBody: JSON.stringify(body) };
}

export interface SlashCommandOptions {
  text: string;
  userId: string;
  channelId: string;
  command?: string;
  channelName?: string;
  triggerId?: string;
  responseUrl?: string;
}

export function slashCommand(options: SlashCommandOptions): SlackBody {
  const fields = {
    token: FAKE_WORKSPACE.verificationToken,
    team_id: FAKE_WORKSPACE.teamId,
    team_domain: FAKE_WORKSPACE.teamDomain,
    channel_id: options.channelId,
    channel_name: options.channelName ?? 'general',
    user_id: options.userId,
    user_name: userName(options.userId),
    command: options.command ?? '/invalidate',
    text: options.text,
    api_app_id: FAKE_WORKSPACE.apiAppId,
    is_enterprise_install: 'false',
    response_url: options.responseUrl ?? NO_RESPONSE_URL,
    trigger_id: options.triggerId ?? triggerId(),
  } satisfies SlashCommand;
  return form(fields);
}

function modalView(options: {
  id: string;
  callbackId: string;
  privateMetadata: string;
  values: ViewOutput['state']['values'];
}): ViewOutput {
  const input = (blockId: string, label: string, element: object) => ({
    type: 'input',
    block_id: blockId,
    label: { type: 'plain_text', text: label, emoji: true },
    element: { ...element, action_id: blockId },
  });
  return {
    id: options.id,
    team_id: FAKE_WORKSPACE.teamId,
    type: 'modal',
    blocks: [
      input('distribution', 'Distribution', { type: 'external_select', min_query_length: 0 }),
      input('paths', 'Paths', { type: 'plain_text_input', multiline: true }),
      { ...input('reason', 'Reason', { type: 'plain_text_input' }), optional: true },
    ] as ViewOutput['blocks'],
    private_metadata: options.privateMetadata,
    callback_id: options.callbackId,
    state: { values: options.values },
    hash: `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`,
    title: { type: 'plain_text', text: 'Invalidate cache', emoji: true },
    clear_on_close: false,
    notify_on_close: false,
    close: { type: 'plain_text', text: 'Cancel', emoji: true },
    submit: { type: 'plain_text', text: 'Submit', emoji: true },
    previous_view_id: null,
    root_view_id: options.id,
    app_id: FAKE_WORKSPACE.apiAppId,
    external_id: '',
    app_installed_team_id: FAKE_WORKSPACE.teamId,
    bot_id: FAKE_WORKSPACE.botId,
  };
}

export interface ViewSubmissionOptions {
  userId: string;
  callbackId?: string;
  viewId?: string;
  /** The selected distribution's option value (its alias), and the text fields as typed; absent = empty. */
  values: {
    distribution?: string;
    paths?: string;
    reason?: string;
    pathsFile?: string[];
    breakGlass?: boolean;
  };
  /** The selected option's label; default the value. */
  distributionLabel?: string;
  privateMetadata?: string;
}

export function viewSubmission(options: ViewSubmissionOptions): SlackBody {
  const { distribution, paths, reason, pathsFile } = options.values;
  const text = (value: string | undefined) => ({ type: 'plain_text_input', value: value ?? null });
  const values: ViewOutput['state']['values'] = {
    distribution: {
      distribution: {
        type: 'external_select',
        selected_option:
          distribution === undefined
            ? null
            : {
                text: { type: 'plain_text', text: options.distributionLabel ?? distribution, emoji: true },
                value: distribution,
              },
      },
    },
    paths: { paths: text(paths) },
    reason: { reason: text(reason) },
    // As Slack sends a file_input: the uploaded files' objects (here only what the bot reads).
    paths_file: {
      paths_file: {
        type: 'file_input',
        files: (pathsFile ?? []).map((id) => ({ id, name: `${id}.txt`, filetype: 'text' })),
      } as unknown as ViewOutput['state']['values'][string][string],
    },
    ...(options.values.breakGlass === true
      ? {
          break_glass: {
            break_glass: {
              type: 'checkboxes',
              selected_options: [
                { text: { type: 'plain_text', text: 'Skip approval' }, value: 'break_glass' },
              ],
            },
          },
        }
      : {}),
  };
  const payload = {
    type: 'view_submission',
    team,
    user: user(options.userId),
    api_app_id: FAKE_WORKSPACE.apiAppId,
    token: FAKE_WORKSPACE.verificationToken,
    trigger_id: triggerId(),
    view: modalView({
      id: options.viewId ?? `V0SUB${unique()}`,
      callbackId: options.callbackId ?? 'invalidate_request',
      privateMetadata: options.privateMetadata ?? '',
      values,
    }),
    response_urls: [],
    is_enterprise_install: false,
  } satisfies ViewSubmitAction;
  return interaction({ ...payload, enterprise: null });
}

export interface BlockActionOptions {
  userId: string;
  actionId: string;
  value: string;
  channelId: string;
  /** The ts of the message carrying the button (the request card). */
  messageTs: string;
  threadTs?: string;
  blockId?: string;
  buttonText?: string;
  /** The message as Slack would echo it back; default a minimal bot message. */
  messageText?: string;
  messageBlocks?: unknown[];
  responseUrl?: string;
}

export function blockAction(options: BlockActionOptions): SlackBody {
  const thread = options.threadTs ? { thread_ts: options.threadTs } : {};
  const payload = {
    type: 'block_actions',
    user: user(options.userId),
    api_app_id: FAKE_WORKSPACE.apiAppId,
    token: FAKE_WORKSPACE.verificationToken,
    container: {
      type: 'message',
      message_ts: options.messageTs,
      channel_id: options.channelId,
      is_ephemeral: false,
      ...thread,
    },
    trigger_id: triggerId(),
    team,
    is_enterprise_install: false,
    channel: { id: options.channelId, name: 'approvals' },
    message: {
      type: 'message',
      user: FAKE_WORKSPACE.botUserId,
      bot_id: FAKE_WORKSPACE.botId,
      app_id: FAKE_WORKSPACE.apiAppId,
      text: options.messageText ?? '',
      ts: options.messageTs,
      team: FAKE_WORKSPACE.teamId,
      blocks: options.messageBlocks ?? [],
      ...thread,
    },
    state: { values: {} },
    response_url: options.responseUrl ?? NO_RESPONSE_URL,
    actions: [
      {
        action_id: options.actionId,
        block_id: options.blockId ?? 'request_actions',
        text: { type: 'plain_text', text: options.buttonText ?? options.actionId, emoji: true },
        value: options.value,
        type: 'button',
        action_ts: actionTs(),
      },
    ],
  } satisfies BlockAction<ButtonAction>;
  return interaction({ ...payload, enterprise: null });
}

export interface BlockSuggestionOptions {
  userId: string;
  actionId?: string;
  /** What the person has typed so far. */
  value: string;
  viewId?: string;
}

export function blockSuggestion(options: BlockSuggestionOptions): SlackBody {
  const actionId = options.actionId ?? 'distribution';
  const viewId = options.viewId ?? `V0SUG${unique()}`;
  const payload = {
    type: 'block_suggestion',
    user: user(options.userId),
    container: { type: 'view', view_id: viewId },
    api_app_id: FAKE_WORKSPACE.apiAppId,
    token: FAKE_WORKSPACE.verificationToken,
    action_id: actionId,
    block_id: actionId,
    value: options.value,
    team,
    is_enterprise_install: false,
    view: modalView({ id: viewId, callbackId: 'invalidate_request', privateMetadata: '', values: {} }),
  } satisfies BlockSuggestion;
  return interaction({ ...payload, enterprise: null });
}

export function appHomeOpened(options: { userId: string; tab?: 'home' | 'messages' }): SlackBody {
  const now = Date.now();
  const body = {
    token: FAKE_WORKSPACE.verificationToken,
    team_id: FAKE_WORKSPACE.teamId,
    api_app_id: FAKE_WORKSPACE.apiAppId,
    event: {
      type: 'app_home_opened',
      user: options.userId,
      channel: dmChannelId(options.userId),
      tab: options.tab ?? 'home',
      event_ts: (now / 1000).toFixed(6),
    },
    type: 'event_callback',
    event_id: `Ev${unique()}`,
    event_time: Math.floor(now / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: FAKE_WORKSPACE.teamId,
        user_id: FAKE_WORKSPACE.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  } satisfies EnvelopedEvent<AppHomeOpenedEvent>;
  return json(body);
}

export function urlVerification(challenge: string): SlackBody {
  return json({ token: FAKE_WORKSPACE.verificationToken, challenge, type: 'url_verification' });
}

/** Signs the body as Slack does and wraps it as the HTTP API event for `POST /slack/events`. */
export function signedEvent(body: SlackBody | string, options: SignedEventOptions): ApiGatewayV2Event {
  const { contentType, rawBody } =
    typeof body === 'string'
      ? { contentType: options.contentType ?? 'application/x-www-form-urlencoded', rawBody: body }
      : body;
  const now = options.now ?? new Date();
  const timestamp = options.timestamp ?? Math.floor(now.getTime() / 1000) - (options.ageSeconds ?? 0);
  const secret = options.wrongSecret ? `${options.secret}-but-wrong` : options.secret;
  const base64 = options.base64 ?? contentType !== 'application/json';
  const path = options.path ?? '/slack/events';
  const requestId = `${randomBytes(6).toString('base64url')}=`;
  const headers: Record<string, string> = {
    accept: 'application/json,*/*',
    'accept-encoding': 'gzip,deflate',
    'content-length': String(Buffer.byteLength(rawBody)),
    'content-type': contentType,
    host: DOMAIN,
    'user-agent': SLACK_USER_AGENT,
    'x-amzn-trace-id': `Root=1-${Math.floor(now.getTime() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`,
    'x-forwarded-for': '198.51.100.7',
    'x-forwarded-port': '443',
    'x-forwarded-proto': 'https',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': slackSignature(secret, timestamp, rawBody),
    ...(options.retryNum === undefined ? {} : { 'x-slack-retry-num': String(options.retryNum) }),
    ...(options.retryReason === undefined ? {} : { 'x-slack-retry-reason': options.retryReason }),
    ...options.headers,
  };
  return {
    version: '2.0',
    routeKey: `POST ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers,
    requestContext: {
      accountId: '123456789012',
      apiId: API_ID,
      domainName: DOMAIN,
      domainPrefix: API_ID,
      http: {
        method: 'POST',
        path,
        protocol: 'HTTP/1.1',
        sourceIp: '198.51.100.7',
        userAgent: SLACK_USER_AGENT,
      },
      requestId,
      routeKey: `POST ${path}`,
      stage: '$default',
      time: apiGatewayTime(now),
      timeEpoch: now.getTime(),
    },
    body: base64 ? Buffer.from(rawBody, 'utf8').toString('base64') : rawBody,
    isBase64Encoded: base64,
  };
}

/** The body as Slack sent it (undoing API Gateway's base64), e.g. to check a signature. */
export function rawBodyOf(event: ApiGatewayV2Event): string {
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

// API Gateway's `requestContext.time`: 12/Mar/2020:19:03:58 +0000
function apiGatewayTime(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
}

import { createHmac } from 'node:crypto';

/**
 * Posts to the bot's `POST /slack/events` as Slack does: the raw body signed
 * with the signing secret (v0, HMAC-SHA256 over `v0:<timestamp>:<body>`), in
 * `x-slack-signature` with `x-slack-request-timestamp`. The bot verifies it
 * exactly as it verifies Slack, so the playground cannot weaken that check.
 */

export function slackSignature(secret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export type SlackBody =
  | { contentType: 'application/x-www-form-urlencoded'; rawBody: string }
  | { contentType: 'application/json'; rawBody: string };

export function formBody(fields: Record<string, string>): SlackBody {
  return {
    contentType: 'application/x-www-form-urlencoded',
    rawBody: new URLSearchParams(fields).toString(),
  };
}

/** Interactions (clicks, submissions, type-ahead) arrive as one form field holding JSON. */
export function interactionBody(payload: object): SlackBody {
  return formBody({ payload: JSON.stringify(payload) });
}

export function jsonBody(body: object): SlackBody {
  return { contentType: 'application/json', rawBody: JSON.stringify(body) };
}

export interface BotAnswer {
  status: number;
  /** The answer's JSON, or undefined for an empty (or non-JSON) body. */
  json: Record<string, unknown> | undefined;
  text: string;
}

/** Slack waits 3 s; the playground waits longer so a slow laptop still shows the answer, and says so. */
const ANSWER_TIMEOUT_MS = 15_000;

export async function postSigned(eventsUrl: string, secret: string, body: SlackBody): Promise<BotAnswer> {
  const timestamp = Math.floor(Date.now() / 1000);
  const res = await fetch(eventsUrl, {
    method: 'POST',
    headers: {
      'content-type': body.contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(secret, timestamp, body.rawBody),
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots) playground',
    },
    body: body.rawBody,
    signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
  });
  const text = await res.text();
  let json: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = text === '' ? undefined : JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      json = parsed as Record<string, unknown>;
    }
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

import { ErrorCode, LogLevel, WebClient } from '@slack/web-api';

/**
 * Socket Mode without a network otherwise retries quietly for minutes ("fetch
 * failed", again and again) and the poller never starts. One call to the
 * method Socket Mode opens its connection with, without retries, tells at once
 * whether Slack can be reached and takes this app token.
 */

export class SlackUnreachableError extends Error {
  override name = 'SlackUnreachableError';
}

const CHECK_TIMEOUT_MS = 10_000;

export async function checkSocketMode(appToken: string, slackApiUrl?: string): Promise<void> {
  const base = slackApiUrl ?? 'https://slack.com/api/';
  const client = new WebClient(appToken, {
    ...(slackApiUrl ? { slackApiUrl } : {}),
    retryConfig: { retries: 0 },
    timeout: CHECK_TIMEOUT_MS,
    // The client's own "http request failed" warning would only repeat the message below.
    logLevel: LogLevel.ERROR,
  });
  try {
    await client.apps.connections.open();
  } catch (error) {
    const e = error as {
      code?: unknown;
      data?: { error?: unknown };
      original?: { message?: unknown; cause?: { code?: unknown } };
    };
    if (e.code === ErrorCode.PlatformError) {
      const code = typeof e.data?.error === 'string' ? e.data.error : 'unknown_error';
      throw new SlackUnreachableError(
        [
          `Slack refused the Socket Mode connection: ${code}.`,
          code === 'invalid_auth' || code === 'not_authed'
            ? 'SLACK_APP_TOKEN is not a valid app-level token: create one under Basic Information → App-Level Tokens, with the scope connections:write.'
            : code === 'not_allowed_token_type'
              ? 'SLACK_APP_TOKEN must be an app-level token (xapp-…), not a bot or user token.'
              : 'Check that Socket Mode is enabled in the app settings (Settings → Socket Mode).',
        ].join('\n'),
      );
    }
    const cause =
      e.original?.cause?.code ??
      e.original?.message ??
      (error instanceof Error ? error.message : String(error));
    throw new SlackUnreachableError(
      [
        `Cannot reach Slack at ${base} (${String(cause)}): Socket Mode needs an outbound connection to Slack.`,
        'Check the network or proxy, then run `npm run dev` again.',
        'To try the bot without Slack, remove SLACK_BOT_TOKEN and SLACK_APP_TOKEN from the environment and .env: `npm run dev` then opens the local playground.',
      ].join('\n'),
    );
  }
}

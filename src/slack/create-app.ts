import { App, type Receiver } from '@slack/bolt';
import type { BotDeps } from '../app/deps';
import { boltLogger } from './bolt-logger';
import { registerListeners } from './listeners';

export interface CreateAppOptions {
  receiver: Receiver;
  /** Read per request: in Lambda the token may arrive from SSM after the app is built. */
  botToken: () => string;
  slackApiUrl?: string;
  deps: BotDeps;
}

/** The Bolt app with every listener registered. */
export function createSlackApp(options: CreateAppOptions): App {
  const app = new App({
    // With `token`, Bolt 5.1 calls auth.test at start-up (verification on) or, with verification
    // off, on every single request (it does not cache the answer). The bot id it would learn is
    // only used to ignore the bot's own messages, which we never listen to.
    authorize: async () => ({ botToken: options.botToken() }),
    receiver: options.receiver,
    tokenVerificationEnabled: false,
    // Bolt's own lines as JSON through the bot's logger (README, "Logs and metrics").
    logger: boltLogger(options.deps.log),
    // A fresh object: Bolt writes its logger into it.
    clientOptions: {
      ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}),
      rejectRateLimitedCalls: true,
      // Calls made while Slack waits for the answer (views.open, user groups): no retries,
      // and a deadline that leaves time to answer within Slack's 3 s.
      retryConfig: { retries: 0 },
      timeout: 2_000,
    },
  });
  registerListeners(app, options.deps);
  app.error(async (error) => {
    options.deps.log.error('unhandled listener error', { error });
  });
  return app;
}

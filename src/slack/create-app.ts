import { App, type Receiver } from '@slack/bolt';
import type { BotDeps } from '../app/deps';
import { registerListeners } from './listeners';

export interface CreateAppOptions {
  receiver: Receiver;
  botToken: string;
  slackApiUrl?: string;
  deps: BotDeps;
}

/** The Bolt app with every listener registered. */
export function createSlackApp(options: CreateAppOptions): App {
  const app = new App({
    token: options.botToken,
    receiver: options.receiver,
    // Otherwise Bolt calls auth.test on start: a round trip on every cold start.
    tokenVerificationEnabled: false,
    // A fresh object: Bolt writes its logger into it.
    clientOptions: {
      ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}),
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 1, minTimeout: 100, maxTimeout: 500 },
    },
  });
  registerListeners(app, options.deps);
  app.error(async (error) => {
    options.deps.log.error('unhandled listener error', { error: String(error) });
  });
  return app;
}

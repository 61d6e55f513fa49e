import { randomBytes } from 'node:crypto';
import { ensureExampleConfig } from './people';
import { createPlayground, type Playground } from './server';

/**
 * `npm run dev` without Slack tokens: the bot runs as always, and a local
 * stand-in for Slack (this folder) serves a page at http://localhost:$PORT/.
 * Only the environment differs: a signing secret made up for this run, a
 * placeholder bot token, SLACK_API_URL pointing here, and the example config.
 */

export const PLAYGROUND_BOT_TOKEN = 'xoxb-playground-local';
export const PLAYGROUND_CONFIG_FILE = '.data/playground/bot-config.json';

/** Slack's own variables absent: nothing points at a real workspace, so the playground may stand in. */
export function wantsPlayground(source: Readonly<Record<string, string | undefined>>): boolean {
  return ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_API_URL'].every(
    (name) => (source[name]?.trim() ?? '') === '',
  );
}

export interface PlaygroundSetup {
  /** The environment the bot is built from. */
  source: Record<string, string | undefined>;
  signingSecret: string;
  configFile: string;
  configCreated: boolean;
  /** A BOT_CONFIG / BOT_CONFIG_FILE of the person's that the playground set aside (its people are fixed). */
  ignoredConfig?: string;
}

export function playgroundApiUrl(port: number): string {
  return `http://127.0.0.1:${port}/api/`;
}

/** The bot's environment in the playground; SLACK_API_URL follows once the port is known. */
export function playgroundSource(source: Readonly<Record<string, string | undefined>>): PlaygroundSetup {
  const signingSecret = randomBytes(24).toString('hex');
  const config = ensureExampleConfig(PLAYGROUND_CONFIG_FILE);
  const ignored = source.BOT_CONFIG_FILE ?? (source.BOT_CONFIG ? 'BOT_CONFIG' : undefined);
  const next: Record<string, string | undefined> = {
    ...source,
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_BOT_TOKEN: PLAYGROUND_BOT_TOKEN,
    BOT_CONFIG: undefined,
    BOT_CONFIG_FILE: config.path,
    // Nothing reaches CloudFront unless the person asks for it.
    DRY_RUN: source.DRY_RUN?.trim() ? source.DRY_RUN : 'true',
    // Snappier than the Lambda schedule, so status updates show up while someone watches.
    POLL_INTERVAL_MS: source.POLL_INTERVAL_MS?.trim() ? source.POLL_INTERVAL_MS : '2000',
  };
  return {
    source: next,
    signingSecret,
    configFile: config.path,
    configCreated: config.created,
    ...(ignored ? { ignoredConfig: ignored } : {}),
  };
}

export function startPlayground(options: {
  port: number;
  signingSecret: string;
  dryRun: boolean;
}): Playground {
  const origin = `http://127.0.0.1:${options.port}`;
  return createPlayground({
    eventsUrl: `${origin}/slack/events`,
    signingSecret: options.signingSecret,
    botToken: PLAYGROUND_BOT_TOKEN,
    origin,
    pageOrigin: `http://localhost:${options.port}`,
    dryRun: options.dryRun,
  });
}

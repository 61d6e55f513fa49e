import { existsSync } from 'node:fs';
import { SocketModeReceiver } from '@slack/bolt';
import { dryRunGateway } from '../app/dry-run-gateway';
import { pollOnce } from '../app/poll';
import { EnvironmentError, parseEnvironment } from '../config/environment';
import { ConfigError } from '../config/load-config';
import { playgroundApiUrl, playgroundSource, startPlayground, wantsPlayground } from '../dev/playground';
import { checkSocketMode, SlackUnreachableError } from '../dev/socket-mode-check';
import * as z from '../shared/zod';
import { AnswerFirstReceiver } from '../slack/answer-first-receiver';
import { boltLogger } from '../slack/bolt-logger';
import { createSlackApp } from '../slack/create-app';
import { DataFolderBusyError, startLocalDynamo } from './local-dynamo';
import { buildRuntime } from './wiring';

/**
 * `npm run dev`: the whole bot in one process. Socket Mode when SLACK_APP_TOKEN
 * is set, else HTTP on PORT; an embedded DynamoDB under .data/ unless
 * DYNAMODB_ENDPOINT is set; the poller on a timer. With no Slack settings at
 * all, the playground (src/dev/playground) stands in for Slack on the same port.
 */

const EXAMPLE_CONFIG = 'config/bot-config.example.json';
const DATA_DIR = '.data/dynamodb';
const SOCKET_MODE_START_MS = 20_000;

/** Dev only: how long a dry-run invalidation takes to "complete" (default 20 s, as in Lambda). */
const devKnobs = z.object({
  DEV_DRY_RUN_COMPLETION_MS: z.optional(
    z.pipe(
      z.string().check(z.regex(/^\d+$/, 'DEV_DRY_RUN_COMPLETION_MS: must be a whole number of milliseconds')),
      z.transform(Number),
    ),
  ),
});

class PortInUseError extends Error {
  override name = 'PortInUseError';

  constructor(port: number) {
    super(
      [
        `Port ${port} is already in use (perhaps another \`npm run dev\`).`,
        `Stop whatever listens there, or pick another port: \`PORT=${port + 1} npm run dev\` (or PORT=${port + 1} in .env).`,
      ].join('\n'),
    );
  }
}

function explain(error: unknown): string {
  if (error instanceof EnvironmentError || error instanceof ConfigError) {
    return [
      error.message,
      '',
      'Put the missing values in a .env file next to package.json (see .env.example and README.md, "Run it locally"), e.g.:',
      '  SLACK_BOT_TOKEN=xoxb-…        (OAuth & Permissions → Bot User OAuth Token)',
      '  SLACK_APP_TOKEN=xapp-…        (Basic Information → App-Level Tokens, scope connections:write) for Socket Mode,',
      '  or SLACK_SIGNING_SECRET=…     (Basic Information → Signing Secret) for HTTP mode',
      `  BOT_CONFIG_FILE=${EXAMPLE_CONFIG}   (your distributions and approvers)`,
      '  DRY_RUN=true                  (the whole flow, without sending invalidations to CloudFront)',
      'Or remove every SLACK_ setting to try the bot in the local playground, without Slack.',
    ].join('\n');
  }
  if (
    error instanceof PortInUseError ||
    error instanceof DataFolderBusyError ||
    error instanceof SlackUnreachableError
  ) {
    return error.message;
  }
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

function isPortInUse(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'EADDRINUSE';
}

async function withTimeout<T>(work: Promise<T>, ms: number, problem: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SlackUnreachableError(problem)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function main(): Promise<void> {
  // Ctrl-C would otherwise end the process without its 'exit' handlers (the .data/ claim is released there).
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(0));
  if (existsSync('.env')) process.loadEnvFile('.env');
  let source: Record<string, string | undefined> = { ...process.env };
  const knobs = devKnobs.safeParse(source);
  if (!knobs.success)
    throw new EnvironmentError(
      'dev',
      knobs.error.issues.map((i) => i.message),
    );

  const playground = wantsPlayground(source) ? playgroundSource(source) : undefined;
  if (playground) {
    source = playground.source;
  } else if (!source.BOT_CONFIG && !source.BOT_CONFIG_FILE && existsSync(EXAMPLE_CONFIG)) {
    source.BOT_CONFIG_FILE = EXAMPLE_CONFIG;
  }
  // Fail on a bad environment before starting anything.
  let env = parseEnvironment(source, 'dev');
  if (playground) {
    // The stand-in answers the Web API on the bot's own port.
    source.SLACK_API_URL = playgroundApiUrl(env.port);
    env = parseEnvironment(source, 'dev');
  }
  const pageUrl = `http://localhost:${env.port}/`;

  if (env.appToken) await checkSocketMode(env.appToken, env.slackApiUrl);
  if (!env.dynamodbEndpoint) {
    const local = await startLocalDynamo(DATA_DIR, env.tableName, env.appToken ? {} : { url: pageUrl });
    source.DYNAMODB_ENDPOINT = local.endpoint;
    console.log(`embedded DynamoDB (dynalite) at ${local.endpoint}, data in ${DATA_DIR}`);
  }
  const { deps } = buildRuntime('dev', source);
  const completionMs = knobs.data.DEV_DRY_RUN_COMPLETION_MS;
  // In place: whatever holds these deps (listeners, poller, in-process worker) sees the same gateway.
  if (env.dryRun && completionMs !== undefined) deps.gateway = dryRunGateway(deps.clock, completionMs);

  const stand = playground
    ? startPlayground({ port: env.port, signingSecret: playground.signingSecret, dryRun: env.dryRun })
    : undefined;
  const receiver = env.appToken
    ? new SocketModeReceiver({ appToken: env.appToken })
    : new AnswerFirstReceiver({
        signingSecret: env.signingSecret ?? '',
        logger: boltLogger(deps.log),
        // Beside the bot's own POST /slack/events, on the same port.
        ...(stand ? { otherRequests: stand.handle } : {}),
      });
  const app = createSlackApp({
    receiver,
    // Dev takes no SSM stand-in, so parseEnvironment has required the token.
    botToken: () => env.botToken ?? '',
    deps,
    ...(env.slackApiUrl ? { slackApiUrl: env.slackApiUrl } : {}),
  });

  try {
    const started = app.start(env.port);
    await (env.appToken
      ? withTimeout(
          started,
          SOCKET_MODE_START_MS,
          `Slack did not open the Socket Mode connection within ${SOCKET_MODE_START_MS / 1000} s. Check the network, or that Socket Mode is enabled for the app.`,
        )
      : started);
  } catch (error) {
    throw isPortInUse(error) ? new PortInUseError(env.port) : error;
  }

  // The poller, as the schedule would run it, without overlapping rounds.
  let polling = false;
  setInterval(() => {
    if (polling) return;
    polling = true;
    pollOnce(deps)
      .catch((error: unknown) => deps.log.error('poll failed', { error }))
      .finally(() => {
        polling = false;
      });
  }, env.pollIntervalMs).unref();

  const dryRun = deps.settings.dryRun ? ' (dry run)' : '';
  if (playground) {
    if (playground.configCreated)
      console.log(`wrote the playground's example config to ${playground.configFile}`);
    if (playground.ignoredConfig) {
      console.log(
        `the playground uses its own people and ${playground.configFile}; ${playground.ignoredConfig} is set aside`,
      );
    }
    console.log(
      `bot listening on http://localhost:${env.port}/slack/events${dryRun}, Slack played by the playground`,
    );
    // Last, so it is what a person sees: where to click.
    console.log(`playground: open ${pageUrl}`);
  } else {
    console.log(
      env.appToken
        ? `bot running in Socket Mode${dryRun}`
        : `bot listening on http://localhost:${env.port}/slack/events${dryRun}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(explain(error));
  process.exit(1);
});

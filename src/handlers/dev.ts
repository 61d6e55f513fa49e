import { existsSync } from 'node:fs';
import { SocketModeReceiver } from '@slack/bolt';
import { pollOnce } from '../app/poll';
import { ConfigError } from '../domain/config-loader';
import { EnvironmentError, parseEnvironment } from '../domain/environment';
import { AnswerFirstReceiver } from '../slack/answer-first-receiver';
import { createSlackApp } from '../slack/create-app';
import { startLocalDynamo } from './local-dynamo';
import { buildRuntime } from './wiring';

/**
 * `npm run dev`: the whole bot in one process. Socket Mode when SLACK_APP_TOKEN
 * is set, else HTTP on PORT; an embedded DynamoDB under .data/ unless
 * DYNAMODB_ENDPOINT is set; the poller on a timer.
 */

const EXAMPLE_CONFIG = 'config/bot-config.example.json';

function explain(error: unknown): string {
  if (error instanceof EnvironmentError || error instanceof ConfigError) {
    return [
      error.message,
      '',
      'Put the missing values in a .env file next to package.json (see README.md, "Run it locally"), e.g.:',
      '  SLACK_BOT_TOKEN=xoxb-…        (OAuth & Permissions → Bot User OAuth Token)',
      '  SLACK_APP_TOKEN=xapp-…        (Basic Information → App-Level Tokens, scope connections:write) for Socket Mode,',
      '  or SLACK_SIGNING_SECRET=…     (Basic Information → Signing Secret) for HTTP mode',
      `  BOT_CONFIG_FILE=${EXAMPLE_CONFIG}   (your distributions and approvers)`,
    ].join('\n');
  }
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const source: Record<string, string | undefined> = { ...process.env };
  if (!source.BOT_CONFIG && !source.BOT_CONFIG_FILE && existsSync(EXAMPLE_CONFIG)) {
    source.BOT_CONFIG_FILE = EXAMPLE_CONFIG;
  }
  // Fail on a bad environment before starting anything.
  const env = parseEnvironment(source, 'dev');

  if (!env.dynamodbEndpoint) {
    const local = await startLocalDynamo('.data/dynamodb', env.tableName);
    source.DYNAMODB_ENDPOINT = local.endpoint;
    console.log(`embedded DynamoDB (dynalite) at ${local.endpoint}, data in .data/dynamodb`);
  }
  const { deps } = buildRuntime('dev', source);

  const receiver = env.appToken
    ? new SocketModeReceiver({ appToken: env.appToken })
    : new AnswerFirstReceiver({ signingSecret: env.signingSecret ?? '' });
  const app = createSlackApp({
    receiver,
    botToken: env.botToken,
    deps,
    ...(env.slackApiUrl ? { slackApiUrl: env.slackApiUrl } : {}),
  });
  await app.start(env.port);
  console.log(
    env.appToken
      ? 'bot running in Socket Mode'
      : `bot listening on http://localhost:${env.port}/slack/events${deps.settings.dryRun ? ' (dry run)' : ''}`,
  );

  // The poller, as the schedule would run it, without overlapping rounds.
  let polling = false;
  setInterval(() => {
    if (polling) return;
    polling = true;
    pollOnce(deps)
      .catch((error: unknown) => deps.log.error('poll failed', { error: String(error) }))
      .finally(() => {
        polling = false;
      });
  }, env.pollIntervalMs).unref();
}

main().catch((error: unknown) => {
  console.error(explain(error));
  process.exit(1);
});

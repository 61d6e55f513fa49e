import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CloudFrontFake } from './cloudfront-fake';
import type { LocalDynamo } from './dynalite';
import type { SlackFake } from './slack-fake';

export interface BuiltPollerRun {
  /** The folder scripts/build.mjs wrote poller.js into. */
  outdir: string;
  db: LocalDynamo;
  cloudfront: CloudFrontFake;
  slack: SlackFake;
  /** The poller role's key, as Lambda puts it in the environment. */
  accessKeyId: string;
  config: Record<string, unknown>;
  /** Arguments for handler(), as JSON. */
  handlerArgs?: unknown[];
  env?: Record<string, string>;
}

/**
 * One invocation of the built dist/poller.js in a fresh node process, with Lambda-style
 * environment credentials and one polling round; gives the run's result (its last stdout line,
 * after the bot's JSON log lines).
 */
export async function runBuiltPoller(run: BuiltPollerRun): Promise<unknown> {
  const runner = join(run.outdir, 'poll.cjs');
  writeFileSync(
    runner,
    `require('./poller.js').handler(...${JSON.stringify(run.handlerArgs ?? [])}).then(
       (result) => { process.stdout.write('\\n' + JSON.stringify(result)); process.exit(0); },
       (error) => { process.stderr.write(String(error && error.stack)); process.exit(1); },
     );`,
  );
  const { stdout } = await promisify(execFile)('node', [runner], {
    cwd: run.outdir,
    env: {
      PATH: process.env.PATH ?? '',
      SLACK_BOT_TOKEN: 'xoxb-bundle',
      SLACK_API_URL: run.slack.apiUrl,
      TABLE_NAME: run.db.tableName,
      DYNAMODB_ENDPOINT: run.db.endpoint,
      CLOUDFRONT_ENDPOINT: run.cloudfront.endpoint,
      // One round, no waiting for the next check.
      POLL_BUDGET_MS: '0',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: run.accessKeyId,
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'session',
      BOT_CONFIG: JSON.stringify(run.config),
      ...run.env,
    },
    timeout: 30_000,
  });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '');
}

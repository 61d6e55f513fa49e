import * as z from '../shared/zod';
import { problemList } from './problem-list';
import { iamRoleArn, matching } from './string-rules';

/**
 * The environment contract (README, "Environment"), parsed once at start-up. Messages name
 * the variable and the rule, never the value: most of these are secrets.
 */

export type Role = 'slack' | 'poller' | 'dev';

export interface Environment {
  /**
   * Absent where nothing verifies Slack requests (the poller, dev in Socket Mode), or where
   * SLACK_SIGNING_SECRET_PARAM stands in for it until the SSM read (src/secrets) fills it in.
   */
  signingSecret?: string;
  /** Absent only where SLACK_BOT_TOKEN_PARAM stands in for it until the SSM read fills it in. */
  botToken?: string;
  appToken?: string;
  slackApiUrl?: string;
  tableName: string;
  dynamodbEndpoint?: string;
  cloudfrontEndpoint?: string;
  dryRun: boolean;
  pollIntervalMs: number;
  pollBudgetMs: number;
  /** Delay before the one "still in progress" thread reply. */
  stillInProgressAfterMs: number;
  port: number;
  /** SSM SecureString names the Slack secrets are read from at run time (Lambda). */
  signingSecretParam?: string;
  botTokenParam?: string;
  ssmEndpoint?: string;
  /** The function the slack function kicks (the poller); unset = no kick, the schedule does the work. */
  workerFunction?: string;
  lambdaEndpoint?: string;
  /** The stack's role with CloudFront rights on same-account targets; unset = the function's own credentials. */
  invalidatorRoleArn?: string;
}

export class EnvironmentError extends Error {
  override name = 'EnvironmentError';

  constructor(
    readonly role: Role,
    /** One line per problem, `VARIABLE: what is wrong`. */
    readonly problems: readonly string[],
  ) {
    super(problemList(`Invalid environment (${role})`, problems));
  }
}

export const DEV_TABLE_NAME = 'cloudfront-invalidations';

const optional = z.optional;

const url = () => z.url({ protocol: /^https?$/, error: 'must be a URL (http:// or https://)' });

const ssmParameterName = () =>
  matching(/^[A-Za-z0-9_.\-/]{1,2048}$/, 'must be an SSM parameter name (e.g. /bot/prod/slack-bot-token)');

const wholeNumber = (min: number, max: number, message: string, fallback: number) =>
  z._default(
    z.pipe(
      z.pipe(z.string().check(z.regex(/^\d+$/, message)), z.transform(Number)),
      z.number().check(z.gte(min, message), z.lte(max, message)),
    ),
    fallback,
  );

// Lambda stops at 15 minutes; a poll budget beyond that can never be used up.
const LAMBDA_MAX_MS = 900_000;

const environmentSchema = z.object({
  SLACK_SIGNING_SECRET: optional(z.string()),
  SLACK_BOT_TOKEN: optional(z.string().check(z.startsWith('xoxb-', 'must start with xoxb-'))),
  SLACK_APP_TOKEN: optional(z.string().check(z.startsWith('xapp-', 'must start with xapp-'))),
  SLACK_API_URL: optional(url()),
  TABLE_NAME: optional(
    matching(
      /^[A-Za-z0-9_.-]{3,255}$/,
      'must be a DynamoDB table name (3-255 letters, digits, "_", "-", ".")',
    ),
  ),
  DYNAMODB_ENDPOINT: optional(url()),
  CLOUDFRONT_ENDPOINT: optional(url()),
  DRY_RUN: z._default(
    z.pipe(
      matching(/^(true|false)$/i, 'must be true or false'),
      z.transform((v: string) => v.toLowerCase() === 'true'),
    ),
    false,
  ),
  POLL_INTERVAL_MS: wholeNumber(
    1,
    LAMBDA_MAX_MS,
    `must be a whole number of milliseconds, 1 to ${LAMBDA_MAX_MS}`,
    10_000,
  ),
  POLL_BUDGET_MS: wholeNumber(
    0,
    LAMBDA_MAX_MS,
    `must be a whole number of milliseconds, 0 to ${LAMBDA_MAX_MS}`,
    50_000,
  ),
  STILL_IN_PROGRESS_AFTER_MS: wholeNumber(
    0,
    Number.MAX_SAFE_INTEGER,
    'must be a whole number of milliseconds',
    300_000,
  ),
  PORT: wholeNumber(0, 65_535, 'must be a port number, 0 to 65535', 3000),
  SLACK_SIGNING_SECRET_PARAM: optional(ssmParameterName()),
  SLACK_BOT_TOKEN_PARAM: optional(ssmParameterName()),
  SSM_ENDPOINT: optional(url()),
  WORKER_FUNCTION: optional(
    matching(/^[A-Za-z0-9_:.-]{1,140}$|^arn:/, 'must be a Lambda function name or ARN'),
  ),
  LAMBDA_ENDPOINT: optional(url()),
  INVALIDATOR_ROLE_ARN: optional(iamRoleArn()),
});

type Variable = keyof typeof environmentSchema.shape;
const VARIABLES = Object.keys(environmentSchema.shape) as Variable[];

const REQUIRED: Record<Role, readonly Variable[]> = {
  slack: ['SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN', 'TABLE_NAME'],
  poller: ['SLACK_BOT_TOKEN', 'TABLE_NAME'],
  // Dev defaults the table; the signing secret is only needed without Socket Mode (checked below).
  dev: ['SLACK_BOT_TOKEN'],
};

/**
 * In Lambda a secret may be named instead of given: its SSM parameter stands in for it, and the
 * handler reads the value at run time (src/secrets). Dev and tests give the values themselves.
 */
const STAND_INS: Partial<Record<Role, Partial<Record<Variable, Variable>>>> = {
  slack: { SLACK_SIGNING_SECRET: 'SLACK_SIGNING_SECRET_PARAM', SLACK_BOT_TOKEN: 'SLACK_BOT_TOKEN_PARAM' },
  poller: { SLACK_BOT_TOKEN: 'SLACK_BOT_TOKEN_PARAM' },
};

export function parseEnvironment(env: Readonly<Record<string, string | undefined>>, role: Role): Environment {
  const given = presentVariables(env);
  const problems = new Map<Variable, string>();

  const result = environmentSchema.safeParse(given);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const name = issue.path[0] as Variable;
      if (!problems.has(name)) problems.set(name, issue.message);
    }
  }
  for (const name of REQUIRED[role]) {
    const standIn = STAND_INS[role]?.[name];
    if (given[name] !== undefined || (standIn && given[standIn] !== undefined)) continue;
    problems.set(name, standIn ? `is required (or ${standIn}, its SSM parameter)` : 'is required');
  }
  if (role === 'dev' && given.SLACK_SIGNING_SECRET === undefined && given.SLACK_APP_TOKEN === undefined) {
    problems.set('SLACK_SIGNING_SECRET', 'is required unless SLACK_APP_TOKEN is set (Socket Mode)');
  }

  if (problems.size > 0 || !result.success) {
    // Table order, so the message reads like the README's Environment table.
    const lines = VARIABLES.filter((name) => problems.has(name)).map(
      (name) => `${name}: ${problems.get(name)}`,
    );
    throw new EnvironmentError(role, lines);
  }

  const v = result.data;
  const tableName = v.TABLE_NAME ?? (role === 'dev' ? DEV_TABLE_NAME : undefined);
  if (tableName === undefined) {
    // Unreachable: REQUIRED covers it for every role. Kept so the types need no assertion.
    throw new EnvironmentError(role, ['TABLE_NAME: is required']);
  }
  return {
    signingSecret: v.SLACK_SIGNING_SECRET,
    botToken: v.SLACK_BOT_TOKEN,
    appToken: v.SLACK_APP_TOKEN,
    slackApiUrl: v.SLACK_API_URL,
    tableName,
    dynamodbEndpoint: v.DYNAMODB_ENDPOINT,
    cloudfrontEndpoint: v.CLOUDFRONT_ENDPOINT,
    dryRun: v.DRY_RUN,
    pollIntervalMs: v.POLL_INTERVAL_MS,
    pollBudgetMs: v.POLL_BUDGET_MS,
    stillInProgressAfterMs: v.STILL_IN_PROGRESS_AFTER_MS,
    port: v.PORT,
    signingSecretParam: v.SLACK_SIGNING_SECRET_PARAM,
    botTokenParam: v.SLACK_BOT_TOKEN_PARAM,
    ssmEndpoint: v.SSM_ENDPOINT,
    workerFunction: v.WORKER_FUNCTION,
    lambdaEndpoint: v.LAMBDA_ENDPOINT,
    invalidatorRoleArn: v.INVALIDATOR_ROLE_ARN,
  };
}

/**
 * Only our variables, trimmed, blank ones dropped: deploy templates write `''`
 * for unused settings, and a pasted secret often carries a trailing newline.
 */
function presentVariables(
  env: Readonly<Record<string, string | undefined>>,
): Partial<Record<Variable, string>> {
  const given: Partial<Record<Variable, string>> = {};
  for (const name of VARIABLES) {
    const value = env[name]?.trim();
    if (value !== undefined && value !== '') given[name] = value;
  }
  return given;
}

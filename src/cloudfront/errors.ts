import type { GatewayError } from '../app/ports';

/**
 * The one place where AWS errors become `GatewayError`s: transient ones leave
 * the request to the poller's retries, permanent ones fail it with a message a
 * person in Slack can act on.
 */

export type CloudFrontOperation =
  | 'CreateInvalidation'
  | 'GetInvalidation'
  | 'CreateInvalidationForDistributionTenant'
  | 'GetInvalidationForDistributionTenant'
  | 'ListDistributions';

export interface CallContext {
  operation: CloudFrontOperation;
  distributionId?: string;
  /** A distribution tenant (`dt_…`): the call went to the tenant operations. */
  tenantId?: string;
  roleArn?: string;
  callerReference?: string;
  invalidationId?: string;
}

/** An AssumeRole failure, already mapped; thrown so the CloudFront call stops there. */
export class AssumeRoleError extends Error {
  constructor(readonly gatewayError: GatewayError) {
    super(gatewayError.message);
    this.name = 'AssumeRoleError';
  }
}

/** CloudFront answered 2xx but without what the operation promises. */
export class UnexpectedResponseError extends Error {
  override name = 'UnexpectedResponseError';
}

/** What the SDK tells us about a failed call, whatever shape the error came in. */
interface ErrorFacts {
  code: string;
  status?: number;
  awsMessage: string;
}

const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestTimeout',
  'RequestTimeoutException',
]);

const ACCESS_DENIED_CODES = new Set(['AccessDenied', 'AccessDeniedException']);

const CREDENTIAL_ERROR_NAMES = new Set(['CredentialsProviderError', 'CredentialsError']);

const RETRY_LATER = 'The bot will retry automatically.';

function factsOf(err: unknown): ErrorFacts | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const record = err as { name?: unknown; message?: unknown; $metadata?: { httpStatusCode?: unknown } };
  const status = record.$metadata?.httpStatusCode;
  if (typeof status !== 'number') return undefined;
  return {
    code: typeof record.name === 'string' && record.name !== '' ? record.name : 'Unknown',
    status,
    awsMessage: typeof record.message === 'string' ? record.message : '',
  };
}

/** A network-level failure's code (`ECONNREFUSED`, `TimeoutError` …), for the message. */
function networkCodeOf(err: unknown): string {
  if (typeof err === 'object' && err !== null) {
    const record = err as { code?: unknown; name?: unknown };
    if (typeof record.code === 'string' && record.code !== '') return record.code;
    if (typeof record.name === 'string' && record.name !== '' && record.name !== 'Error') return record.name;
  }
  return 'network error';
}

function isCredentialError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const name = (err as { name?: unknown }).name;
  return typeof name === 'string' && CREDENTIAL_ERROR_NAMES.has(name);
}

/** `arn:aws:iam::123456789012:role/x` → `{ partition: 'aws', account: '123456789012' }`. */
function roleArnParts(roleArn: string | undefined): { partition: string; account: string } {
  const match = roleArn ? /^arn:(aws[a-z-]*):iam::(\d{12}):/.exec(roleArn) : null;
  return { partition: match?.[1] ?? 'aws', account: match?.[2] ?? '<account-id>' };
}

export function distributionArn(distributionId: string, roleArn: string | undefined): string {
  const { partition, account } = roleArnParts(roleArn);
  return `arn:${partition}:cloudfront::${account}:distribution/${distributionId}`;
}

/** The tenant operations authorise on the tenant's own ARN. */
export function distributionTenantArn(tenantId: string, roleArn: string | undefined): string {
  const { partition, account } = roleArnParts(roleArn);
  return `arn:${partition}:cloudfront::${account}:distribution-tenant/${tenantId}`;
}

/** "distribution E…" or "tenant dt_… of distribution E…", for messages. */
function targetName(ctx: CallContext): string {
  const dist = ctx.distributionId ? `distribution ${ctx.distributionId}` : 'the distribution';
  return ctx.tenantId ? `tenant ${ctx.tenantId} of ${dist}` : dist;
}

/**
 * The credentials the bot calls AWS with when no role is named, in words that fit where it runs:
 * Lambda sets AWS_LAMBDA_FUNCTION_NAME; anywhere else (`npm run dev` on a laptop) they are the shell's.
 */
function ownCredentials(): { name: string; fix: string } {
  return process.env.AWS_LAMBDA_FUNCTION_NAME
    ? { name: "the bot's Lambda execution role", fix: 'Check the Lambda execution role.' }
    : {
        name: 'the AWS credentials this process runs with (AWS_PROFILE, AWS_ACCESS_KEY_ID or ~/.aws)',
        fix: 'Give this shell AWS credentials (AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or run with DRY_RUN=true.',
      };
}

function roleName(roleArn: string | undefined): string {
  return roleArn ? `role ${roleArn}` : ownCredentials().name;
}

function transient(code: string, message: string): GatewayError {
  return { kind: 'transient', code, message };
}

function permanent(code: string, message: string): GatewayError {
  return { kind: 'permanent', code, message };
}

function said(awsMessage: string): string {
  return awsMessage ? ` CloudFront said: "${awsMessage}".` : '';
}

function describeServiceError(facts: ErrorFacts, ctx: CallContext): GatewayError {
  const { code, status = 0, awsMessage } = facts;
  const dist = ctx.distributionId ?? 'the distribution';
  const role = roleName(ctx.roleArn);

  if (THROTTLING_CODES.has(code) || status === 429) {
    return transient(code, `CloudFront is throttling the bot's requests (${code}). ${RETRY_LATER}`);
  }
  if (code === 'TooManyInvalidationsInProgress') {
    return transient(
      code,
      `CloudFront already has the maximum number of invalidations in progress for distribution ${dist} ` +
        `(TooManyInvalidationsInProgress). The request is queued; the bot will submit it once one of them finishes.`,
    );
  }
  if (status >= 500) {
    return transient(code, `CloudFront is temporarily unavailable (${code}, HTTP ${status}). ${RETRY_LATER}`);
  }
  if (ACCESS_DENIED_CODES.has(code)) {
    const action = `cloudfront:${ctx.operation}`;
    const resource = ctx.tenantId
      ? distributionTenantArn(ctx.tenantId, ctx.roleArn)
      : ctx.distributionId
        ? distributionArn(ctx.distributionId, ctx.roleArn)
        : '*';
    return permanent(
      code,
      `CloudFront denied ${action} on ${targetName(ctx)} (AccessDenied). ` +
        `Allow ${action} on ${resource} in the IAM policy of ${role}.`,
    );
  }
  switch (code) {
    case 'EntityNotFound':
      // The tenant operations' "not found", for the tenant or for the invalidation on it.
      return permanent(
        code,
        ctx.invalidationId
          ? `CloudFront has no invalidation ${ctx.invalidationId} on ${targetName(ctx)} (EntityNotFound). ` +
              'Check in the CloudFront console whether it ran; submit a new request if it did not.'
          : `CloudFront has no ${targetName(ctx)} visible to ${role} (EntityNotFound). ` +
              'Fix the tenantId (or id) in the bot config.',
      );
    case 'NoSuchDistribution':
      return permanent(
        code,
        `CloudFront has no distribution ${dist} visible to ${role} (NoSuchDistribution). ` +
          'Fix the distribution id in the bot config.',
      );
    case 'NoSuchInvalidation':
      return permanent(
        code,
        `CloudFront has no invalidation ${ctx.invalidationId ?? ''} on distribution ${dist} (NoSuchInvalidation). ` +
          'Check in the CloudFront console whether it ran; submit a new request if it did not.',
      );
    case 'InvalidationBatchAlreadyExists':
      return permanent(
        code,
        `CloudFront already has an invalidation with caller reference ${ctx.callerReference ?? ''} but with ` +
          'different paths (InvalidationBatchAlreadyExists): the request id was reused for other paths. ' +
          'Submit a new request.',
      );
    case 'BatchTooLarge':
      return permanent(
        code,
        'The invalidation has more paths than CloudFront accepts at once (BatchTooLarge). ' +
          `Split it into smaller requests.${said(awsMessage)}`,
      );
    case 'InvalidArgument':
      return permanent(
        code,
        `CloudFront rejected the invalidation as invalid (InvalidArgument).${said(awsMessage)} ` +
          'Check the paths and submit a new request.',
      );
    case 'InconsistentQuantities':
    case 'MissingBody':
      return permanent(
        code,
        `CloudFront rejected the request as malformed (${code}); this is a bug in the bot, please report it.` +
          said(awsMessage),
      );
    default:
      return permanent(
        code,
        `CloudFront rejected ${ctx.operation} (${code}, HTTP ${status}).${said(awsMessage)} ` +
          'Check the distribution settings in the bot config.',
      );
  }
}

function describeUnreachable(err: unknown, service: string): GatewayError {
  return transient('NetworkError', `Could not reach ${service} (${networkCodeOf(err)}). ${RETRY_LATER}`);
}

function describeMissingCredentials(err: unknown): GatewayError {
  const detail = err instanceof Error ? ` (${err.message})` : '';
  return permanent(
    'CredentialsError',
    `The bot has no AWS credentials to call CloudFront${detail}. ${ownCredentials().fix}`,
  );
}

/** Maps any error thrown by a CloudFront call. */
export function toGatewayError(err: unknown, ctx: CallContext): GatewayError {
  if (err instanceof AssumeRoleError) return err.gatewayError;
  if (err instanceof UnexpectedResponseError) {
    return transient(
      'UnexpectedResponse',
      `CloudFront gave an unexpected answer (${err.message}). ${RETRY_LATER}`,
    );
  }
  const facts = factsOf(err);
  if (facts) return describeServiceError(facts, ctx);
  if (isCredentialError(err)) return describeMissingCredentials(err);
  return describeUnreachable(err, 'CloudFront');
}

/** Maps any error thrown by STS AssumeRole for `roleArn`. */
export function toAssumeRoleError(err: unknown, roleArn: string): GatewayError {
  const facts = factsOf(err);
  if (!facts) {
    if (isCredentialError(err)) return describeMissingCredentials(err);
    return describeUnreachable(err, 'AWS STS');
  }
  const { code, status = 0, awsMessage } = facts;
  if (THROTTLING_CODES.has(code) || status === 429) {
    return transient(code, `AWS STS is throttling the bot's AssumeRole calls (${code}). ${RETRY_LATER}`);
  }
  if (status >= 500) {
    return transient(code, `AWS STS is temporarily unavailable (${code}, HTTP ${status}). ${RETRY_LATER}`);
  }
  if (ACCESS_DENIED_CODES.has(code)) {
    return permanent(
      code,
      `The bot may not assume role ${roleArn} (sts:AssumeRole denied). Allow sts:AssumeRole on ${roleArn} ` +
        `in ${ownCredentials().name}, and trust it in the trust policy of ` +
        `${roleArn}.`,
    );
  }
  return permanent(
    code,
    `The bot could not assume role ${roleArn} (${code}, HTTP ${status}).${awsMessage ? ` STS said: "${awsMessage}".` : ''} ` +
      'Check the roleArn in the bot config.',
  );
}

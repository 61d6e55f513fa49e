import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';

export interface DynamoClientOptions {
  /** DYNAMODB_ENDPOINT: a local DynamoDB (dynalite) instead of AWS's. Empty means unset. */
  endpoint?: string;
  region?: string;
  credentials?: DynamoDBClientConfig['credentials'];
}

/** Any credentials do for a local endpoint, and the default chain may find none there. */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const LOCAL_REGION = 'us-east-1';

/**
 * Deadlines that end a call (the SDK's requestTimeout only logs unless told to
 * throw). A store call sits on the path of an answer Slack waits 3 s for; the
 * conditional writes make a retried write safe.
 */
const REQUEST_HANDLER = { connectionTimeout: 1_000, requestTimeout: 2_000, throwOnRequestTimeout: true };

/**
 * The middleware chain is resolved once per command class instead of on every call (the SDK's
 * own option; the store never changes a middleware stack, and sends no per-call options).
 * Every answer makes a few DynamoDB calls, so this is CPU off each warm click.
 */
const SHARED = { requestHandler: REQUEST_HANDLER, cacheMiddleware: true } as const;

/**
 * The DynamoDB client. Without an endpoint it is AWS's client as Lambda
 * configures it (region and credentials from the environment). With one, it
 * talks to that endpoint with placeholder credentials unless given real ones.
 */
export function createDynamoClient(options: DynamoClientOptions = {}): DynamoDBClient {
  const endpoint = options.endpoint?.trim() || undefined;
  if (endpoint === undefined) {
    return new DynamoDBClient({
      ...(options.region !== undefined ? { region: options.region } : {}),
      ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
      ...SHARED,
    });
  }
  return new DynamoDBClient({
    ...SHARED,
    endpoint,
    region: options.region ?? LOCAL_REGION,
    credentials: options.credentials ?? LOCAL_CREDENTIALS,
  });
}

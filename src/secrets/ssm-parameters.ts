import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createConnection, isIP } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import * as z from '../shared/zod';
import { type AwsCredentials, signPost } from './sigv4';

/**
 * SSM Parameter Store's GetParameters (AWS JSON 1.1 protocol), decrypted, in one call: all the
 * bot asks of SSM, once per container. Plain HTTPS and SigV4 (./sigv4.ts) instead of the SDK
 * client, whose load and first call made the cold start miss its target (README, "Secrets").
 */

export interface SsmReadOptions {
  /** Endpoint override (SSM_ENDPOINT), e.g. a loopback fake in tests. */
  endpoint?: string;
  region?: string;
  /** Who signs; the function's role (Lambda sets these variables) when absent. */
  credentials?: AwsCredentials;
  /** Aborts the read: a cold start must still answer Slack within its 3 s. */
  signal?: AbortSignal;
  now?: () => Date;
  /** Called once the request is written to the socket: the caller may then use the CPU meanwhile. */
  onSent?: () => void;
}

/** SSM answered, but not with every parameter asked for: it names the missing ones. */
export class MissingParametersError extends Error {
  override name = 'MissingParametersError';

  constructor(readonly names: readonly string[]) {
    super(`SSM has no parameter ${names.join(', ')}`);
  }
}

/** SSM refused the call (AccessDeniedException, ThrottlingException, a 5xx...). */
export class SsmError extends Error {
  override name = 'SsmError';

  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(`SSM GetParameters failed with ${status} ${code}: ${message}`);
  }
}

const answerSchema = z.object({
  Parameters: z._default(z.array(z.object({ Name: z.string(), Value: z.string() })), []),
  InvalidParameters: z._default(z.array(z.string()), []),
});
const errorSchema = z.object({ __type: z.optional(z.string()), message: z.optional(z.string()) });

export function credentialsFromEnvironment(
  env: Readonly<Record<string, string | undefined>> = process.env,
): AwsCredentials {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    throw new Error('no AWS credentials in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)');
  }
  return {
    accessKeyId,
    secretAccessKey,
    ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
  };
}

export async function readSecureStrings(
  names: readonly string[],
  options: SsmReadOptions = {},
): Promise<Map<string, string>> {
  const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const url = new URL(options.endpoint ?? `https://ssm.${region}.amazonaws.com`);
  const body = JSON.stringify({ Names: names, WithDecryption: true });
  const headers = signPost({
    host: url.host,
    region,
    service: 'ssm',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AmazonSSM.GetParameters',
    },
    body,
    credentials: options.credentials ?? credentialsFromEnvironment(),
    now: (options.now ?? (() => new Date()))(),
  });
  const { status, text } = await post(
    url,
    { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    body,
    options.signal,
    options.onSent,
  );
  if (status !== 200) {
    const parsed = errorSchema.safeParse(safeJson(text));
    const code = (parsed.data?.__type ?? 'UnknownError').split('#').pop() ?? 'UnknownError';
    throw new SsmError(code, status, parsed.data?.message ?? text.slice(0, 200));
  }
  const answer = answerSchema.parse(safeJson(text));
  const values = new Map(answer.Parameters.map((p) => [p.Name, p.Value]));
  const missing = names.filter((n) => !values.has(n));
  if (missing.length > 0) throw new MissingParametersError(missing);
  return values;
}

function post(
  url: URL,
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal | undefined,
  onSent: (() => void) | undefined,
): Promise<{ status: number; text: string }> {
  const plain = url.protocol === 'http:';
  const send = plain ? httpRequest : httpsRequest;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(url.port || (plain ? 80 : 443));
  // One call per container: a connection of its own, closed after the answer, without the
  // agent's pooling; on a cold start that and http's own abort wiring cost about 4 ms of CPU.
  // TLS verifies SSM's certificate against the host name, as the https agent would.
  const connection = () =>
    plain
      ? createConnection({ host, port })
      : tlsConnect({ host, port, ...(isIP(host) ? {} : { servername: host }) });
  return new Promise((resolve, reject) => {
    const req = send(url, { method: 'POST', headers, createConnection: connection }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    if (signal) {
      const abort = () => req.destroy(signal.reason);
      if (signal.aborted) abort();
      signal.addEventListener('abort', abort, { once: true });
      req.once('close', () => signal.removeEventListener('abort', abort));
    }
    if (onSent) req.once('finish', onSent);
    req.end(body);
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

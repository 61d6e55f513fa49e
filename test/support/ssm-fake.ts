import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { readBody } from './read-body';

/**
 * A loopback fake of SSM Parameter Store's GetParameters, speaking the real AWS JSON 1.1
 * protocol (`POST /`, `X-Amz-Target: AmazonSSM.GetParameters`), so the real SDK client (or any
 * SigV4 client) runs against it. Records every call so tests can count reads per container.
 */

export interface SsmCall {
  target: string;
  names: string[];
  withDecryption: boolean;
  /** Access key id from the SigV4 Authorization header. */
  accessKeyId?: string;
  /** HTTP status the fake answered with. */
  status: number;
  errorCode?: string;
}

export interface SsmInjection {
  /** AWS error code, e.g. `AccessDeniedException`, `InternalServerError`, or `NetworkError`. */
  code: string;
  status?: number;
  /** How many of the next calls fail (default 1). */
  times?: number;
}

export interface SsmFake {
  /** `http://127.0.0.1:…`, or `https://localhost:…` when started with `tls`. */
  endpoint: string;
  calls: SsmCall[];
  /** Parameters the fake holds (SecureString): name → plain value. */
  parameters: Map<string, string>;
  inject(injection: SsmInjection): void;
  /**
   * Answers wait this long after the request arrived: a slow SSM or KMS. `times` limits it to
   * the next that many requests (a read that hangs once, then SSM is back); every one otherwise.
   */
  setLatency(ms: number, times?: number): void;
  stop(): Promise<void>;
}

const DEFAULT_STATUS: Record<string, number> = {
  AccessDeniedException: 400,
  InternalServerError: 500,
  ThrottlingException: 400,
};

/**
 * A self-signed certificate for `localhost` only (valid until 2126), for the fake's TLS mode:
 * a client trusts it through NODE_EXTRA_CA_CERTS, as a deployment would trust a private CA.
 */
export const LOCALHOST_CERT = `${__dirname}/tls/localhost-cert.pem`;
const LOCALHOST_KEY = `${__dirname}/tls/localhost-key.pem`;

export interface SsmFakeOptions {
  /** Serve HTTPS with the certificate above, as SSM's real endpoint does. */
  tls?: boolean;
}

export async function startSsmFake(
  parameters: Record<string, string> = {},
  options: SsmFakeOptions = {},
): Promise<SsmFake> {
  const held = new Map(Object.entries(parameters));
  const calls: SsmCall[] = [];
  const injections: (SsmInjection & { times: number })[] = [];
  const sockets = new Set<Socket>();
  let latencyMs = 0;
  let latencyLeft = Number.POSITIVE_INFINITY;

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    readBody(req)
      .then(async (body) => {
        const delay = latencyLeft > 0 ? latencyMs : 0;
        latencyLeft--;
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
        answer(req, res, body);
      })
      .catch((error: unknown) => sendError(res, 500, 'InternalServerError', String(error)));
  };
  const server = options.tls
    ? createTlsServer({ key: readFileSync(LOCALHOST_KEY), cert: readFileSync(LOCALHOST_CERT) }, onRequest)
    : createServer(onRequest);

  function answer(req: IncomingMessage, res: ServerResponse, body: string): undefined {
    const target = String(req.headers['x-amz-target'] ?? '');
    const accessKeyId = /Credential=([^/,\s]+)\//.exec(req.headers.authorization ?? '')?.[1];
    const contentType = String(req.headers['content-type'] ?? '');
    if (req.method !== 'POST' || req.url !== '/' || !contentType.startsWith('application/x-amz-json-1.1')) {
      return sendError(res, 404, 'UnknownOperationException', `fake: no route for ${req.method} ${req.url}`);
    }
    let input: { Names?: unknown; WithDecryption?: unknown };
    try {
      input = JSON.parse(body) as typeof input;
    } catch {
      return sendError(res, 400, 'SerializationException', 'fake: body is not JSON');
    }
    const names = Array.isArray(input.Names) ? input.Names.map(String) : [];
    const call = { target, names, withDecryption: input.WithDecryption === true, accessKeyId };
    if (target !== 'AmazonSSM.GetParameters') {
      calls.push({ ...call, status: 400, errorCode: 'UnknownOperationException' });
      return sendError(res, 400, 'UnknownOperationException', `fake: ${target} is not served`);
    }
    const injected = injections.find((i) => i.times > 0);
    if (injected) {
      injected.times -= 1;
      if (injected.code === 'NetworkError') {
        calls.push({ ...call, status: 0, errorCode: 'NetworkError' });
        res.socket?.destroy();
        return;
      }
      const status = injected.status ?? DEFAULT_STATUS[injected.code] ?? 400;
      calls.push({ ...call, status, errorCode: injected.code });
      return sendError(res, status, injected.code, `fake: injected ${injected.code}`);
    }
    if (names.length < 1 || names.length > 10) {
      calls.push({ ...call, status: 400, errorCode: 'ValidationException' });
      return sendError(res, 400, 'ValidationException', 'Names must hold 1 to 10 parameter names');
    }
    calls.push({ ...call, status: 200 });
    const found = names.filter((n) => held.has(n));
    const now = Math.floor(Date.now() / 1000);
    send(res, 200, {
      Parameters: found.map((name) => ({
        Name: name,
        Type: 'SecureString',
        // Without decryption SSM returns the ciphertext, never the value.
        Value: call.withDecryption
          ? held.get(name)
          : `AQICAH-encrypted-${Buffer.from(name).toString('base64')}`,
        Version: 1,
        LastModifiedDate: now,
        ARN: `arn:aws:ssm:us-east-1:123456789012:parameter${name.startsWith('/') ? '' : '/'}${name}`,
        DataType: 'text',
      })),
      InvalidParameters: names.filter((n) => !held.has(n)),
    });
  }

  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const endpoint = options.tls ? `https://localhost:${port}` : `http://127.0.0.1:${port}`;

  return {
    endpoint,
    calls,
    parameters: held,
    inject(injection) {
      injections.push({ ...injection, times: injection.times ?? 1 });
    },
    setLatency(ms, times = Number.POSITIVE_INFINITY) {
      latencyMs = ms;
      latencyLeft = times;
    },
    stop() {
      return new Promise<void>((resolve, reject) => {
        for (const socket of sockets) socket.destroy();
        server.close((error) => (error ? reject(error) : resolve()));
      });
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-RequestId': 'fake-ssm' });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, status: number, code: string, message: string): undefined {
  res.writeHead(status, {
    'Content-Type': 'application/x-amz-json-1.1',
    'x-amzn-RequestId': 'fake-ssm',
    'x-amzn-ErrorType': code,
  });
  res.end(JSON.stringify({ __type: code, message }));
}

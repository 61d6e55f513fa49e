import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A pass-through HTTP proxy on loopback that records every request it
 * forwards: put it between a handler and dynalite to count what one run costs
 * in DynamoDB calls, without touching the handler's own client. With
 * `latencyMs`, each answer is held that long after the target gave it (the
 * call has taken effect; only its answer is late); `Infinity` never answers.
 */
export interface CountingProxy {
  /** `http://127.0.0.1:<port>`: give this to the code under test instead of the target. */
  endpoint: string;
  /** DynamoDB operations forwarded so far, in order (`Query`, `GetItem`, …, from `X-Amz-Target`). */
  operations(): string[];
  clear(): void;
  stop(): Promise<void>;
}

export async function startCountingProxy(
  target: string,
  options: { latencyMs?: number } = {},
): Promise<CountingProxy> {
  const latencyMs = options.latencyMs ?? 0;
  const upstream = new URL(target);
  const seen: string[] = [];
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    seen.push(operationOf(req));
    const forward = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        if (latencyMs === 0) {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          return;
        }
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          if (latencyMs === Number.POSITIVE_INFINITY) return;
          setTimeout(() => {
            if (res.destroyed) return;
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(chunks));
          }, latencyMs);
        });
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    operations: () => [...seen],
    clear: () => {
      seen.length = 0;
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        for (const socket of sockets) socket.destroy();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** `DynamoDB_20120810.Query` → `Query`; anything else by method and path. */
function operationOf(req: IncomingMessage): string {
  const target = req.headers['x-amz-target'];
  const value = Array.isArray(target) ? target[0] : target;
  return value?.split('.').pop() ?? `${req.method} ${req.url}`;
}

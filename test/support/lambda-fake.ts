import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A loopback fake of the Lambda Invoke API (REST-JSON,
 * `POST /2015-03-31/functions/{name}/invocations`), so the real
 * @aws-sdk/client-lambda makes the kick. An `Event` invocation is answered 202
 * at once and then run, as Lambda does, by handing the payload to the
 * function registered under that name (the real poller handler in e2e tests).
 */

export interface Invocation {
  functionName: string;
  invocationType: string;
  payload: unknown;
  /** HTTP status the fake answered with (0: the connection was dropped or left hanging). */
  status: number;
}

/** How the next invocations are answered: late, never, with an error, or accepted but never run. */
export type LambdaFault =
  | { kind: 'delay'; ms: number }
  | { kind: 'hang' }
  | { kind: 'error'; status: number; code: string }
  | { kind: 'lost' };

export interface LambdaFake {
  endpoint: string;
  invocations(): Invocation[];
  /** Registers the function an invocation of `name` runs. */
  register(name: string, run: (payload: unknown) => Promise<unknown>): void;
  /** The next `times` invocations meet `fault`. */
  inject(fault: LambdaFault, times?: number): void;
  /** Resolves when every invocation accepted so far (and any they caused) has finished running. */
  drain(): Promise<void>;
  /** Errors thrown by the functions run, in order. */
  failures(): unknown[];
  stop(): Promise<void>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

export async function startLambdaFake(): Promise<LambdaFake> {
  const functions = new Map<string, (payload: unknown) => Promise<unknown>>();
  const recorded: Invocation[] = [];
  const faults: LambdaFault[] = [];
  const running = new Set<Promise<unknown>>();
  const failures: unknown[] = [];
  const sockets = new Set<Socket>();

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const match = INVOKE_PATH.exec(req.url?.split('?')[0] ?? '');
      if (req.method !== 'POST' || !match?.[1]) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `no route ${req.method} ${req.url}` }));
        return;
      }
      const functionName = decodeURIComponent(match[1]);
      const invocationType = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
      const text = Buffer.concat(chunks).toString('utf8');
      let payload: unknown;
      try {
        payload = text === '' ? {} : JSON.parse(text);
      } catch {
        res.writeHead(400, {
          'content-type': 'application/json',
          'x-amzn-errortype': 'InvalidRequestContentException',
        });
        res.end(JSON.stringify({ message: 'Could not parse request body into json' }));
        return;
      }
      const invocation: Invocation = { functionName, invocationType, payload, status: 0 };
      recorded.push(invocation);
      const fault = faults.shift();
      const run = functions.get(functionName);
      if (!run) {
        invocation.status = 404;
        res.writeHead(404, {
          'content-type': 'application/json',
          'x-amzn-errortype': 'ResourceNotFoundException',
        });
        res.end(JSON.stringify({ Type: 'User', message: `Function not found: ${functionName}` }));
        return;
      }
      if (fault?.kind === 'hang') return;
      if (fault?.kind === 'error') {
        invocation.status = fault.status;
        res.writeHead(fault.status, { 'content-type': 'application/json', 'x-amzn-errortype': fault.code });
        res.end(JSON.stringify({ Type: 'Service', message: fault.code }));
        return;
      }
      const accept = () => {
        invocation.status = 202;
        res.writeHead(202, { 'content-type': 'application/json' });
        res.end();
        if (fault?.kind === 'lost') return;
        // Lambda runs an accepted event on its own, after the caller has its answer.
        const job = new Promise<void>((resolve) => setImmediate(resolve))
          .then(() => run(payload))
          .catch((error: unknown) => {
            failures.push(error);
          });
        running.add(job);
        void job.finally(() => running.delete(job));
      };
      if (fault?.kind === 'delay') {
        const waiting = new Promise<void>((resolve) =>
          setTimeout(() => {
            accept();
            resolve();
          }, fault.ms),
        );
        running.add(waiting);
        void waiting.finally(() => running.delete(waiting));
      } else accept();
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    invocations: () => recorded.map((i) => ({ ...i })),
    register: (name, run) => functions.set(name, run),
    inject: (fault, times = 1) => {
      for (let i = 0; i < times; i++) faults.push(fault);
    },
    async drain() {
      // A run may kick again; keep going until nothing is left.
      while (running.size > 0) await Promise.all([...running]);
    },
    failures: () => [...failures],
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

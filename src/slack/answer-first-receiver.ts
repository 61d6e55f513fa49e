import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  type App,
  type BufferedIncomingMessage,
  defaultBodyLimit,
  HTTPResponseAck,
  HTTPModuleFunctions as httpFunctions,
  isRawBodyError,
  type Logger,
  type Receiver,
} from '@slack/bolt';

/** Slack's own rule for replays: a request more than five minutes from now, either way, is refused. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

/** Where Slack sends every request (manifest.json: the request URLs). */
export const EVENTS_PATH = '/slack/events';

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

export interface AnswerFirstReceiverOptions {
  /** A function where the secret may arrive after the receiver is built (read from SSM). */
  signingSecret: string | (() => PromiseLike<string>);
  logger: Logger;
  /** Answers what is not POST /slack/events (the dev playground's pages); a 404 without it. */
  otherRequests?: RequestListener;
}

/**
 * A Bolt receiver for one route, POST /slack/events, with the answers Slack needs in its 3 s,
 * always:
 * - a listener's work comes first (processBeforeResponse: Lambda freezes after
 *   the response), and the listeners do only what must be decided now;
 * - a signed request no listener acknowledges (an unknown payload type or
 *   action) is answered as soon as Bolt is done with it, not after Bolt's 3 s
 *   no-ack timer; one Bolt cannot read at all is a 400, never a 500 that Slack
 *   would retry;
 * - a timestamp more than five minutes in the future is refused like a stale
 *   one (Bolt checks only the past), after the signature is verified.
 *
 * It is a plain Node request listener, which serverless-http wraps as it would an express app.
 * Bolt's ExpressReceiver brought express and its dependencies into every cold start (about a
 * third of the Slack bundle, with all of mime-db, which its JSON answers load), for one route
 * (README, "Benchmark"). Every answer here is written with writeHead, as Bolt's HTTPReceiver does.
 */
export class AnswerFirstReceiver implements Receiver {
  /** The listener serverless-http wraps (src/handlers/slack.ts), and the dev server runs. */
  readonly requestListener: RequestListener;
  private readonly log: Logger;
  private readonly signingSecret: () => Promise<string>;
  private readonly otherRequests: RequestListener;
  private boltApp: App | undefined;
  private server: Server | undefined;

  constructor(options: AnswerFirstReceiverOptions) {
    const secret = options.signingSecret;
    this.signingSecret = async () => (typeof secret === 'string' ? secret : await secret());
    this.log = options.logger;
    this.otherRequests = options.otherRequests ?? ((_req, res) => answer(res, 404));
    this.requestListener = (req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        // Not reached by a request Bolt could read (see below); a bug here must still answer.
        this.log.error(`request failed: ${error instanceof Error ? error.message : 'unknown'}`);
        answer(res, 500);
      });
    };
  }

  init(app: App): void {
    this.boltApp = app;
  }

  /** For the dev server: serves the listener on `port` until stop(). */
  start(port: number): Promise<Server> {
    return new Promise((resolve, reject) => {
      const server = createServer(this.requestListener);
      server.once('error', reject);
      server.listen(port, () => {
        server.off('error', reject);
        this.server = server;
        resolve(server);
      });
    });
  }

  stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    return new Promise((resolve, reject) => {
      if (!server) resolve();
      else server.close((error) => (error ? reject(error) : resolve()));
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?', 1)[0];
    if (req.method !== 'POST' || path !== EVENTS_PATH) {
      this.otherRequests(req, res);
      return;
    }
    const verified = await this.verified(req, res);
    if (!verified) return;
    const { request, body } = verified;
    if (body.ssl_check === '1') {
      httpFunctions.buildSSLCheckResponse(res);
      return;
    }
    if (body.type === 'url_verification') {
      httpFunctions.buildUrlVerificationResponse(res, body);
      return;
    }
    const timestamp = Number(req.headers['x-slack-request-timestamp']);
    if (!Number.isFinite(timestamp) || timestamp - Date.now() / 1000 > MAX_CLOCK_SKEW_SECONDS) {
      this.log.warn('request timestamp is in the future; refused');
      answer(res, 401);
      return;
    }
    await this.dispatch(request, body, res);
  }

  /**
   * The request's body, once its signature is verified (Bolt lets an `ssl_check` through
   * unsigned, with anything else in its body dropped); answered here when it is not.
   */
  private async verified(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<{ request: BufferedIncomingMessage; body: Record<string, unknown> } | undefined> {
    let request: BufferedIncomingMessage;
    try {
      request = await httpFunctions.parseAndVerifyHTTPRequest(
        // Bolt's own limit, as its receivers apply it: 4 MB.
        { signingSecret: await this.signingSecret(), logger: this.log, bodyLimit: defaultBodyLimit },
        req,
      );
    } catch (error) {
      if (isRawBodyError(error) && (error.type === 'entity.too.large' || error.statusCode === 413)) {
        this.log.warn(`request body over the limit of ${String(error.limit)} bytes; refused`);
        answer(res, 413);
      } else {
        this.log.warn(`request verification failed: ${error instanceof Error ? error.message : 'unknown'}`);
        answer(res, 401);
      }
      return undefined;
    }
    try {
      return { request, body: httpFunctions.parseHTTPRequestBody(request) as Record<string, unknown> };
    } catch (error) {
      this.log.warn(`malformed request body: ${error instanceof Error ? error.message : 'unknown'}`);
      answer(res, 400);
      return undefined;
    }
  }

  private async dispatch(
    request: BufferedIncomingMessage,
    body: Record<string, unknown>,
    res: ServerResponse,
  ): Promise<void> {
    const ack = new HTTPResponseAck({
      logger: this.log,
      processBeforeResponse: true,
      // Reached only if the answer below did not happen first.
      unhandledRequestHandler: ({ response }) => answer(response, 200),
      unhandledRequestTimeoutMillis: 3_001,
      httpRequest: request,
      httpRequestBody: request.rawBody,
      httpResponse: res,
    });
    const bound = ack.bind();
    let acknowledged = false;
    try {
      await this.boltApp?.processEvent({
        body,
        ack: async (response) => {
          acknowledged = true;
          await bound(response);
        },
        retryNum: httpFunctions.extractRetryNumFromHTTPRequest(request),
        retryReason: httpFunctions.extractRetryReasonFromHTTPRequest(request),
        customProperties: {},
      });
      if (ack.storedResponse !== undefined) {
        httpFunctions.buildContentResponse(res, ack.storedResponse);
      } else if (!acknowledged) {
        // Signed, readable, but nothing here handles it: say so now rather than in 3 s.
        answer(res, 200);
      }
    } catch (error) {
      this.log.warn(`request Bolt could not process: ${error instanceof Error ? error.message : 'unknown'}`);
      answer(res, 400);
    } finally {
      // Clears Bolt's no-ack timer: the request has its answer.
      ack.ack();
    }
  }
}

function answer(
  response: { headersSent: boolean; writeHead(code: number): unknown; end(): unknown },
  code: number,
) {
  if (response.headersSent) return;
  response.writeHead(code);
  response.end();
}

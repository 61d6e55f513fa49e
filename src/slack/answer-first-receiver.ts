import { type App, ExpressReceiver, HTTPModuleFunctions, HTTPResponseAck, type Logger } from '@slack/bolt';
import type { Request, Response } from 'express';

/** Slack's own rule for replays: a request more than five minutes from now, either way, is refused. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

export interface AnswerFirstReceiverOptions {
  /** A function where the secret may arrive after the receiver is built (read from SSM). */
  signingSecret: string | (() => PromiseLike<string>);
  logger?: Logger;
  nowMs?: () => number;
}

/**
 * Bolt's ExpressReceiver with the answers Slack needs in its 3 s, always:
 * - a listener's work comes first (processBeforeResponse: Lambda freezes after
 *   the response), and the listeners do only what must be decided now;
 * - a signed request no listener acknowledges (an unknown payload type or
 *   action) is answered as soon as Bolt is done with it, not after Bolt's 3 s
 *   no-ack timer; one Bolt cannot read at all is a 400, never a 500 that Slack
 *   would retry;
 * - a timestamp more than five minutes in the future is refused like a stale
 *   one (Bolt checks only the past), after the signature is verified.
 */
export class AnswerFirstReceiver extends ExpressReceiver {
  private readonly nowMs: () => number;
  private readonly log: Logger | undefined;
  private boltApp: App | undefined;

  constructor(options: AnswerFirstReceiverOptions) {
    super({
      signingSecret: options.signingSecret,
      processBeforeResponse: true,
      ...(options.logger ? { logger: options.logger } : {}),
      // Bolt's unhandled-request and error handlers are not given: requestHandler below
      // replaces the one that would call them, and answers both cases itself.
    });
    this.nowMs = options.nowMs ?? Date.now;
    this.log = options.logger;
  }

  override init(app: App): void {
    super.init(app);
    this.boltApp = app;
  }

  override async requestHandler(req: Request, res: Response): Promise<void> {
    const timestamp = Number(HTTPModuleFunctions.getHeader(req, 'x-slack-request-timestamp'));
    if (!Number.isFinite(timestamp) || timestamp - this.nowMs() / 1000 > MAX_CLOCK_SKEW_SECONDS) {
      this.log?.warn('request timestamp is in the future; refused');
      answer(res, 401);
      return;
    }
    const ack = new HTTPResponseAck({
      logger: this.log ?? silentLogger,
      processBeforeResponse: true,
      // Reached only if the answer below did not happen first.
      unhandledRequestHandler: ({ response }) => answer(response, 200),
      unhandledRequestTimeoutMillis: 3_001,
      httpRequest: req,
      httpRequestBody: req.body,
      httpResponse: res,
    });
    const bound = ack.bind();
    let acknowledged = false;
    try {
      await this.boltApp?.processEvent({
        body: req.body,
        ack: async (response) => {
          acknowledged = true;
          await bound(response);
        },
        retryNum: HTTPModuleFunctions.extractRetryNumFromHTTPRequest(req),
        retryReason: HTTPModuleFunctions.extractRetryReasonFromHTTPRequest(req),
        customProperties: {},
      });
      if (ack.storedResponse !== undefined) {
        HTTPModuleFunctions.buildContentResponse(res, ack.storedResponse);
      } else if (!acknowledged) {
        // Signed, readable, but nothing here handles it: say so now rather than in 3 s.
        answer(res, 200);
      }
    } catch (error) {
      this.log?.warn(`request Bolt could not process: ${error instanceof Error ? error.message : 'unknown'}`);
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

const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => 'error' as never,
  setName: () => {},
};

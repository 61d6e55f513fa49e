import type { IncomingMessage, ServerResponse } from 'node:http';
import { playgroundInteractions } from './interactions';
import { pageHtml, regions } from './page';
import { PAGE_SCRIPT } from './page-script';
import { PEOPLE } from './people';
import { postToResponseUrl } from './response-urls';
import { personId, uiRoutes } from './ui-routes';
import { type Args, slackWebApi } from './web-api';
import { Workspace } from './workspace';

/**
 * The playground's HTTP side, as one request handler that can sit next to the
 * bot's own routes: the page and its event stream, the page's actions (/ui/…),
 * the Slack Web API stand-in (/api/<method>), file downloads and response_url.
 */

export interface PlaygroundOptions {
  /** The bot's `POST /slack/events`. */
  eventsUrl: string;
  signingSecret: string;
  botToken: string;
  /** Where the bot reaches this handler, e.g. http://127.0.0.1:3000. */
  origin: string;
  /** Where a browser reaches it, e.g. http://localhost:3000. */
  pageOrigin: string;
  dryRun: boolean;
  report?: (line: string) => void;
}

export type Next = (error?: unknown) => void;

const MAX_BODY = 5 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY) throw new Error('request body over 5 MB');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** WebClient sends form fields, objects among them as JSON text. */
function webApiArgs(contentType: string, raw: string): Args {
  if (raw === '') return {};
  if (contentType.startsWith('application/json')) {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Args) : {};
  }
  const args: Args = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] = /^\s*[[{]/.test(value) && key !== 'text' ? safeJson(value) : value;
  }
  return args;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const LOCAL_HOST = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;
/** Sent by the page's script; a form or script on another site cannot send it without a CORS preflight, which is never granted. */
export const PAGE_HEADER = 'x-playground-page';

/**
 * The playground signs whatever it is asked to, so it answers only this machine, by its
 * local name (no DNS rebinding), and its actions only to its own page (no cross-site posts).
 */
function refusalOf(req: IncomingMessage, path: string): string | undefined {
  if (!LOOPBACK.has(req.socket.remoteAddress ?? ''))
    return 'The playground answers only this machine (loopback).';
  if (!LOCAL_HOST.test(req.headers.host ?? ''))
    return 'The playground answers only as localhost or 127.0.0.1.';
  if (path.startsWith('/ui/') && req.headers[PAGE_HEADER] !== '1') {
    return `The playground's actions come from its page (header ${PAGE_HEADER}: 1).`;
  }
  return undefined;
}

function send(res: ServerResponse, status: number, body: string, type: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

const json = (res: ServerResponse, status: number, body: unknown) =>
  send(res, status, JSON.stringify(body), 'application/json; charset=utf-8');

export function createPlayground(options: PlaygroundOptions) {
  const report = options.report ?? ((line: string) => console.warn(`playground: ${line}`));
  const workspace = new Workspace();
  const api = slackWebApi({
    workspace,
    botToken: options.botToken,
    origin: options.origin,
    pageOrigin: options.pageOrigin,
    report,
  });
  const ui = playgroundInteractions({
    workspace,
    eventsUrl: options.eventsUrl,
    signingSecret: options.signingSecret,
    origin: options.origin,
  });
  const routes = uiRoutes(ui);
  const streams = new Set<ServerResponse>();
  let announced = false;
  workspace.onChange(() => {
    // Many changes in one tick become one event.
    if (announced) return;
    announced = true;
    setImmediate(() => {
      announced = false;
      for (const stream of streams) stream.write(`data: ${workspace.version}\n\n`);
    });
  });
  const heartbeat = setInterval(() => {
    for (const stream of streams) stream.write(': still here\n\n');
  }, 15_000);
  heartbeat.unref();

  async function route(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://playground');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const refusal = refusalOf(req, path);
    if (refusal) {
      send(res, 403, refusal, 'text/plain; charset=utf-8');
      return true;
    }
    const viewer = personId.safeParse(url.searchParams.get('as')).data ?? PEOPLE[0]?.id ?? '';

    if (method === 'GET' && path === '/') {
      send(res, 200, pageHtml(workspace, viewer, options.dryRun), 'text/html; charset=utf-8');
      return true;
    }
    if (method === 'GET' && path === '/playground.js') {
      send(res, 200, PAGE_SCRIPT, 'text/javascript; charset=utf-8');
      return true;
    }
    if (method === 'GET' && path === '/favicon.ico') {
      res.writeHead(204).end();
      return true;
    }
    if (method === 'GET' && path === '/regions') {
      json(res, 200, regions(workspace, viewer));
      return true;
    }
    if (method === 'GET' && path === '/events') {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write(`data: ${workspace.version}\n\n`);
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return true;
    }
    const file = /^\/files\/([^/]+)\/[^/]*$/.exec(path);
    if (method === 'GET' && file?.[1]) {
      const stored = workspace.files.get(decodeURIComponent(file[1]));
      // As Slack: a private file needs the bot token.
      if (req.headers.authorization !== `Bearer ${options.botToken}`) {
        send(res, 403, 'A Slack file download needs "Authorization: Bearer <bot token>".', 'text/plain');
      } else if (!stored) send(res, 404, 'No such file.', 'text/plain');
      else send(res, 200, stored.content.toString('utf8'), stored.mimetype);
      return true;
    }
    if (method !== 'POST') return false;

    const apiMethod = /^\/api\/([A-Za-z0-9._]+)$/.exec(path)?.[1];
    if (apiMethod) {
      const raw = (await readBody(req)).toString('utf8');
      let args: Args;
      try {
        args = webApiArgs(req.headers['content-type'] ?? '', raw);
      } catch {
        json(res, 200, { ok: false, error: 'invalid_json' });
        return true;
      }
      const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const token = bearer ?? (typeof args.token === 'string' ? args.token : undefined);
      json(res, 200, api.call(apiMethod, args, token));
      return true;
    }
    const responseId = /^\/response\/([^/]+)$/.exec(path)?.[1];
    if (responseId) {
      const body = safeJson((await readBody(req)).toString('utf8'));
      const posted =
        typeof body === 'object' &&
        body !== null &&
        postToResponseUrl(workspace, decodeURIComponent(responseId), body as Args);
      json(res, posted ? 200 : 404, posted ? { ok: true } : { ok: false, error: 'no such response_url' });
      return true;
    }
    if (path === '/ui/upload') {
      const as = personId.safeParse(url.searchParams.get('as'));
      const name = url.searchParams.get('name') ?? 'paths.txt';
      if (!as.success) {
        json(res, 400, { error: 'as: must be a playground person' });
        return true;
      }
      const content = await readBody(req);
      const id = workspace.nextId('F');
      const mimetype = (req.headers['content-type'] ?? 'text/plain').split(';')[0] ?? 'text/plain';
      workspace.files.set(id, { id, name, mimetype, user: as.data, content, created: Date.now() });
      json(res, 200, { id, name });
      return true;
    }
    const action = /^\/ui\/([a-z]+)$/.exec(path)?.[1];
    const run = action ? routes[action] : undefined;
    if (!run) return false;
    const answer = await run(safeJson((await readBody(req)).toString('utf8')));
    json(res, answer.status, answer.body);
    return true;
  }

  return {
    workspace,
    /** A Node/Express request handler: answers the playground's routes, passes everything else on. */
    handle(req: IncomingMessage, res: ServerResponse, next?: Next): void {
      route(req, res)
        .then((handled) => {
          if (handled) return;
          if (next) next();
          else send(res, 404, 'Not found', 'text/plain');
        })
        .catch((error: unknown) => {
          report(
            `${req.method} ${req.url} failed: ${error instanceof Error ? error.message : String(error)}`,
          );
          if (!res.headersSent)
            json(res, 500, { error: error instanceof Error ? error.message : String(error) });
        });
    },
    close(): void {
      clearInterval(heartbeat);
      for (const stream of streams) stream.end();
      streams.clear();
    },
  };
}

export type Playground = ReturnType<typeof createPlayground>;

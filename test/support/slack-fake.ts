import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A recording fake of the Slack Web API on loopback, for end-to-end tests.
 *
 * Point a WebClient at `apiUrl`: `new WebClient(token, { slackApiUrl: fake.apiUrl })`, or in Bolt 5.1
 * `new App({ ..., clientOptions: { slackApiUrl: fake.apiUrl } })`. Bolt hands `clientOptions` to
 * `app.client` and to every per-request `client` (App.js copies it for its WebClient pool), so
 * listeners' `client.chat.postMessage(...)` land here too. WebClient appends a missing trailing `/`
 * and then requests `${slackApiUrl}${method}`, so `.../api` and `.../api/` both work.
 *
 * Faults, and what @slack/web-api 8 does with them (read from its dist/WebClient.js):
 * - `ratelimited` is answered like Slack: HTTP 429, `Retry-After: <sec>`, `{ ok: false, error: 'ratelimited' }`.
 *   With `rejectRateLimitedCalls: true` the call rejects at once with `WebAPIRateLimitedError`
 *   (`code: 'slack_webapi_rate_limited_error'`, `retryAfter: <sec>`); the fake records one call.
 *   Without it (the default, and Bolt's default) the client pauses its whole queue for Retry-After,
 *   then retries under `retryConfig` (default: 10 retries, first back-off about 1–2 s on top), so the
 *   call succeeds once the fault is used up: expect the fake to record the call twice (the first with
 *   `error: 'ratelimited'`) and the call to take roughly Retry-After + 1–2 s.
 * - Other errors (`channel_not_found`, `not_in_channel`, `invalid_auth`, ...) are HTTP 200 with
 *   `{ ok: false, error }`: the call rejects with `WebAPIPlatformError` (`data.error` is the code),
 *   no retry.
 * - Any other non-200 status (e.g. 500) makes the client retry under `retryConfig`, like a network error.
 */

/** The workspace the fake pretends to be, shared with the request builders. */
export const FAKE_WORKSPACE = {
  teamId: 'T0FAKETEAM',
  teamDomain: 'example',
  apiAppId: 'A0FAKEAPP',
  botUserId: 'U0FAKEBOT',
  botId: 'B0FAKEBOT',
  verificationToken: 'fake-verification-token',
} as const;

export type SlackArgs = Record<string, unknown>;
export type SlackResponse = Record<string, unknown>;

export interface SlackCall {
  method: string;
  /** The arguments as the client meant them: form fields JSON-decoded back into objects. */
  args: SlackArgs;
  /** From `Authorization: Bearer …` (or a `token` field). */
  token: string | undefined;
  at: Date;
  status: number;
  /** What the fake answered; e.g. `response.ts` of a posted message. */
  response: SlackResponse;
  /** Set when the fake answered `ok: false` (an injected fault or a rejected argument). */
  error?: string;
}

export interface ResponseUrlPost {
  id: string;
  body: unknown;
  at: Date;
}

export interface SlackFault {
  error: string;
  /** Default 429 for `ratelimited`, otherwise 200 (Slack reports errors in the body). */
  status?: number;
  /** Default 1 for a 429. */
  retryAfterSec?: number;
  /** How many calls the fault answers; default 1, `Infinity` for all. */
  times?: number;
}

export interface SlackFake {
  /** `http://127.0.0.1:<port>/api/`: give this to SLACK_API_URL / WebClient's `slackApiUrl`. */
  apiUrl: string;
  calls(method?: string): SlackCall[];
  last(method: string): SlackCall | undefined;
  /** Resolves with the first call (already recorded or yet to come) matching method and predicate. */
  waitFor(method: string, predicate?: (call: SlackCall) => boolean, timeoutMs?: number): Promise<SlackCall>;
  /** Forgets recorded calls and response_url posts; user groups and pending faults stay. */
  clear(): void;
  setUserGroup(groupId: string, userIds: string[]): void;
  fail(method: string, fault: SlackFault): void;
  /**
   * Answers `method` (or every method, `'*'`) `ms` late; `Infinity` never answers. The call
   * takes effect at once (a post is made) and is recorded: only the answer is late, as when
   * Slack posted but the caller gave up waiting. `0` removes it.
   */
  setLatency(method: string, ms: number): void;
  /** A loopback URL that records what is posted to it, for `response_url` in payloads. */
  responseUrl(id: string): string;
  /**
   * An uploaded file, served by `files.info` and downloadable from its
   * `url_private_download` with a bot token (as Slack serves private files). Returns its id.
   */
  addFile(file: {
    id?: string;
    name: string;
    content: string | Buffer;
    filetype?: string;
    mimetype?: string;
  }): string;
  /** Downloads of uploaded files, with the token each was made with. */
  downloads(): { fileId: string; token: string | undefined }[];
  responses(id?: string): ResponseUrlPost[];
  waitForResponse(
    id: string,
    predicate?: (post: ResponseUrlPost) => boolean,
    timeoutMs?: number,
  ): Promise<ResponseUrlPost>;
  close(): Promise<void>;
}

/** The DM channel the fake opens with a user; stable, so tests can predict it. */
export function dmChannelId(userId: string): string {
  return `D${userId}`;
}

// Top-level fields that are free text, never JSON, even when they start with `[` or `{`.
const TEXT_FIELDS = new Set(['text', 'markdown_text', 'query', 'title', 'initial_comment', 'content']);

function decodeField(key: string, value: string): unknown {
  if (TEXT_FIELDS.has(key) || !/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function parseBody(contentType: string, raw: string): SlackArgs {
  if (raw === '') return {};
  if (contentType.startsWith('application/json')) {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as SlackArgs)
      : {};
  }
  const args: SlackArgs = {};
  for (const [key, value] of new URLSearchParams(raw)) args[key] = decodeField(key, value);
  return args;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

function reply(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

type Answer = { status: number; body: SlackResponse; headers?: Record<string, string> };

interface Waiter<T> {
  matches(item: T): boolean;
  resolve(item: T): void;
  reject(error: Error): void;
}

export async function startSlackFake(): Promise<SlackFake> {
  const recorded: SlackCall[] = [];
  const posts: ResponseUrlPost[] = [];
  const callWaiters = new Set<Waiter<SlackCall>>();
  const postWaiters = new Set<Waiter<ResponseUrlPost>>();
  const userGroups = new Map<string, string[]>();
  const faults = new Map<string, Array<Required<SlackFault>>>();
  const homeViews = new Map<string, string>();
  const latency = new Map<string, number>();
  let tsCounter = 0;
  let viewCounter = 0;
  const files = new Map<string, { name: string; content: Buffer; filetype: string; mimetype: string }>();
  const fileDownloads: { fileId: string; token: string | undefined }[] = [];
  let fileCounter = 0;
  let fileOrigin = '';

  // 1700000000.000100, 1700000000.000200, ...: unique and increasing, like Slack's message ts.
  const nextTs = (): string => {
    tsCounter += 100;
    return `${1_700_000_000 + Math.floor(tsCounter / 1_000_000)}.${String(tsCounter % 1_000_000).padStart(6, '0')}`;
  };
  const nextViewId = (): string => `V0FAKE${String(++viewCounter).padStart(5, '0')}`;
  const resolveChannel = (channel: string): string =>
    /^[UW]/.test(channel) ? dmChannelId(channel) : channel;
  const ok = (body: SlackResponse): Answer => ({ status: 200, body: { ok: true, ...body } });
  const notOk = (error: string): Answer => ({ status: 200, body: { ok: false, error } });

  const viewResponse = (args: SlackArgs, id: string): Answer => {
    const view = typeof args.view === 'object' && args.view !== null ? args.view : {};
    return ok({
      view: {
        ...view,
        id,
        team_id: FAKE_WORKSPACE.teamId,
        app_id: FAKE_WORKSPACE.apiAppId,
        bot_id: FAKE_WORKSPACE.botId,
        state: { values: {} },
        hash: `${Date.now()}.${id}`,
        root_view_id: id,
        previous_view_id: null,
      },
    });
  };

  const answer = (method: string, args: SlackArgs, token: string | undefined): Answer => {
    const fault = faults.get(method)?.[0];
    if (fault) {
      fault.times -= 1;
      if (fault.times <= 0) faults.get(method)?.shift();
      const headers: Record<string, string> =
        fault.status === 429 ? { 'retry-after': String(fault.retryAfterSec) } : {};
      return { status: fault.status, body: { ok: false, error: fault.error }, headers };
    }
    if (!token) return notOk('not_authed');
    const channel = str(args.channel);
    switch (method) {
      case 'auth.test':
        return ok({
          url: `https://${FAKE_WORKSPACE.teamDomain}.slack.com/`,
          team: 'Example',
          user: 'invalidation-bot',
          team_id: FAKE_WORKSPACE.teamId,
          user_id: FAKE_WORKSPACE.botUserId,
          bot_id: FAKE_WORKSPACE.botId,
          is_enterprise_install: false,
        });
      case 'chat.postMessage': {
        if (!channel) return notOk('channel_not_found');
        if (!str(args.text) && !args.blocks && !args.attachments) return notOk('no_text');
        const ts = nextTs();
        const message = {
          type: 'message',
          user: FAKE_WORKSPACE.botUserId,
          bot_id: FAKE_WORKSPACE.botId,
          app_id: FAKE_WORKSPACE.apiAppId,
          text: args.text ?? '',
          ts,
          ...(args.blocks ? { blocks: args.blocks } : {}),
          ...(args.thread_ts ? { thread_ts: args.thread_ts } : {}),
        };
        return ok({ channel: resolveChannel(channel), ts, message });
      }
      case 'chat.update':
        if (!channel) return notOk('channel_not_found');
        if (!str(args.ts)) return notOk('message_not_found');
        return ok({
          channel,
          ts: args.ts,
          text: args.text ?? '',
          message: { text: args.text, blocks: args.blocks },
        });
      case 'chat.postEphemeral':
        if (!channel) return notOk('channel_not_found');
        if (!str(args.user)) return notOk('user_not_in_channel');
        return ok({ message_ts: nextTs() });
      case 'chat.getPermalink': {
        const ts = str(args.message_ts);
        if (!channel || !ts) return notOk('message_not_found');
        return ok({
          channel,
          permalink: `https://${FAKE_WORKSPACE.teamDomain}.slack.com/archives/${channel}/p${ts.replace('.', '')}`,
        });
      }
      case 'conversations.open': {
        const user = str(args.users)?.split(',')[0]?.trim();
        if (!user && !channel) return notOk('users_list_not_supplied');
        return ok({ channel: { id: user ? dmChannelId(user) : channel } });
      }
      case 'views.open':
        return str(args.trigger_id) ? viewResponse(args, nextViewId()) : notOk('invalid_arguments');
      case 'views.push':
        return viewResponse(args, nextViewId());
      case 'views.update':
        return viewResponse(args, str(args.view_id) ?? nextViewId());
      case 'views.publish': {
        const user = str(args.user_id);
        if (!user) return notOk('invalid_arguments');
        const id = homeViews.get(user) ?? nextViewId();
        homeViews.set(user, id);
        return viewResponse(args, id);
      }
      case 'usergroups.users.list': {
        const users = userGroups.get(str(args.usergroup) ?? '');
        return users ? ok({ users: [...users] }) : notOk('no_such_subteam');
      }
      case 'files.info': {
        const id = str(args.file);
        const file = id === undefined ? undefined : files.get(id);
        if (!id || !file) return notOk('file_not_found');
        const download = `${fileOrigin}/files-pri/${FAKE_WORKSPACE.teamId}-${id}/download/${encodeURIComponent(file.name)}`;
        return ok({
          file: {
            id,
            name: file.name,
            title: file.name,
            filetype: file.filetype,
            mimetype: file.mimetype,
            size: file.content.length,
            url_private: download.replace('/download/', '/'),
            url_private_download: download,
          },
        });
      }
      case 'users.info': {
        const user = str(args.user);
        if (!user) return notOk('user_not_found');
        const name = user.toLowerCase();
        return ok({
          user: {
            id: user,
            team_id: FAKE_WORKSPACE.teamId,
            name,
            real_name: name,
            is_bot: false,
            deleted: false,
            tz: 'UTC',
            tz_offset: 0,
            profile: { real_name: name, display_name: name },
          },
        });
      }
      default:
        return ok({});
    }
  };

  const settle = <T>(waiters: Set<Waiter<T>>, item: T): void => {
    for (const waiter of waiters) {
      if (waiter.matches(item)) {
        waiters.delete(waiter);
        waiter.resolve(item);
      }
    }
  };

  const wait = <T>(
    waiters: Set<Waiter<T>>,
    existing: T[],
    matches: (item: T) => boolean,
    timeoutMs: number,
    describe: () => string,
  ): Promise<T> => {
    const found = existing.find(matches);
    if (found) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        matches,
        resolve: (item) => {
          clearTimeout(timer);
          resolve(item);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`Slack fake: timed out after ${timeoutMs} ms waiting for ${describe()}`));
      }, timeoutMs);
      waiters.add(waiter);
    });
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const raw = await readBody(req);
      const contentType = req.headers['content-type'] ?? '';
      let args: SlackArgs;
      try {
        args = parseBody(contentType, raw);
      } catch {
        reply(res, 400, { ok: false, error: 'invalid_json' });
        return;
      }
      // Slack serves a private file only with a token in the Authorization header.
      const fileMatch = /^\/files-pri\/[A-Z0-9]+-([A-Z0-9]+)\/download\//.exec(url.pathname);
      if (fileMatch?.[1] && req.method === 'GET') {
        const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
        const file = files.get(fileMatch[1]);
        fileDownloads.push({ fileId: fileMatch[1], token: bearer });
        if (!bearer || !file) {
          res.writeHead(bearer ? 404 : 302, {
            location: 'https://slack.com/signin',
            'content-type': 'text/html',
          });
          res.end('<html>sign in</html>');
          return;
        }
        res.writeHead(200, { 'content-type': file.mimetype, 'content-length': String(file.content.length) });
        res.end(file.content);
        return;
      }
      const responseMatch = /^\/response\/([^/]+)$/.exec(url.pathname);
      if (responseMatch?.[1]) {
        const post: ResponseUrlPost = {
          id: decodeURIComponent(responseMatch[1]),
          body: args,
          at: new Date(),
        };
        posts.push(post);
        settle(postWaiters, post);
        reply(res, 200, { ok: true });
        return;
      }
      const methodMatch = /^\/api\/([A-Za-z0-9._]+)$/.exec(url.pathname);
      if (!methodMatch?.[1]) {
        reply(res, 404, { ok: false, error: 'unknown_path' });
        return;
      }
      const method = methodMatch[1];
      const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const token = bearer ?? str(args.token);
      const { status, body, headers } = answer(method, args, token);
      const call: SlackCall = { method, args, token, at: new Date(), status, response: body };
      if (body.ok === false && typeof body.error === 'string') call.error = body.error;
      recorded.push(call);
      settle(callWaiters, call);
      const late = latency.get(method) ?? latency.get('*') ?? 0;
      if (late === Number.POSITIVE_INFINITY) return;
      if (late > 0) await new Promise((resolve) => setTimeout(resolve, late));
      if (!res.destroyed) reply(res, status, body, headers);
    })().catch((error: unknown) => {
      if (!res.headersSent) reply(res, 500, { ok: false, error: String(error) });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  fileOrigin = origin;

  return {
    apiUrl: `${origin}/api/`,
    calls: (method) => recorded.filter((call) => method === undefined || call.method === method),
    last: (method) => recorded.filter((call) => call.method === method).at(-1),
    waitFor: (method, predicate = () => true, timeoutMs = 5_000) =>
      wait(
        callWaiters,
        recorded,
        (call) => call.method === method && predicate(call),
        timeoutMs,
        () => {
          const seen = recorded
            .filter((call) => call.method === method)
            .map((call) => JSON.stringify(call.args));
          return `${method} matching the predicate; recorded ${method} calls: ${seen.length ? seen.join(', ') : 'none'}; all methods: ${recorded.map((c) => c.method).join(', ') || 'none'}`;
        },
      ),
    clear: () => {
      recorded.length = 0;
      posts.length = 0;
    },
    setUserGroup: (groupId, userIds) => {
      userGroups.set(groupId, [...userIds]);
    },
    setLatency: (method, ms) => {
      if (ms > 0) latency.set(method, ms);
      else latency.delete(method);
    },
    fail: (method, fault) => {
      const status = fault.status ?? (fault.error === 'ratelimited' ? 429 : 200);
      const queue = faults.get(method) ?? [];
      queue.push({
        error: fault.error,
        status,
        retryAfterSec: fault.retryAfterSec ?? 1,
        times: fault.times ?? 1,
      });
      faults.set(method, queue);
    },
    responseUrl: (id) => `${origin}/response/${encodeURIComponent(id)}`,
    addFile(file) {
      const id = file.id ?? `F0FILE${String(++fileCounter).padStart(5, '0')}`;
      files.set(id, {
        name: file.name,
        content: Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content, 'utf8'),
        filetype: file.filetype ?? 'text',
        mimetype: file.mimetype ?? 'text/plain',
      });
      return id;
    },
    downloads: () => [...fileDownloads],
    responses: (id) => posts.filter((post) => id === undefined || post.id === id),
    waitForResponse: (id, predicate = () => true, timeoutMs = 5_000) =>
      wait(
        postWaiters,
        posts,
        (post) => post.id === id && predicate(post),
        timeoutMs,
        () => `a response_url post to ${id}; seen: ${JSON.stringify(posts.map((post) => post.body))}`,
      ),
    close: async () => {
      for (const waiter of [...callWaiters, ...postWaiters]) waiter.reject(new Error('Slack fake closed'));
      callWaiters.clear();
      postWaiters.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

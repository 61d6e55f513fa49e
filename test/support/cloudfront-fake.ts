import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { readBody } from './read-body';

/**
 * A loopback fake of CloudFront's REST-XML API (2020-05-31) and of STS
 * AssumeRole, speaking the real wire format so the real SDK clients run
 * against it. It records every call so tests can count them.
 */

export type FakeOperation =
  | 'CreateInvalidation'
  | 'GetInvalidation'
  | 'CreateInvalidationForDistributionTenant'
  | 'GetInvalidationForDistributionTenant'
  | 'ListDistributions'
  | 'AssumeRole';

export interface FakeDistribution {
  id: string;
  aliases: string[];
  comment: string;
  domainName: string;
  status: string;
}

export interface FakeInvalidation {
  id: string;
  distributionId: string;
  /** Created through the tenant operation, on this tenant. */
  tenantId?: string;
  callerReference: string;
  paths: string[];
  createTime: Date;
  status: 'InProgress' | 'Completed';
  /** GetInvalidation calls answered so far. */
  checks: number;
  /** With `completeAfterMs`: the first moment a GetInvalidation answers Completed. */
  completesAt?: Date;
}

export interface FakeCall {
  operation: FakeOperation;
  /** HTTP status the fake answered with (0 when the connection was dropped). */
  status: number;
  /** Access key id from the SigV4 Authorization header: which credentials signed the call. */
  accessKeyId?: string;
  distributionId?: string;
  /** The tenant operations: the tenant the call named. */
  tenantId?: string;
  invalidationId?: string;
  callerReference?: string;
  paths?: string[];
  marker?: string;
  roleArn?: string;
  /** AssumeRole: the session name, source identity and session tags asked for. */
  sessionName?: string;
  sourceIdentity?: string;
  tags?: Record<string, string>;
  errorCode?: string;
  /** When the call arrived, on the fake's clock (CreateInvalidation and GetInvalidation). */
  at?: Date;
  /** A delayed call whose caller had hung up (aborted) before the fake answered. */
  abandoned?: boolean;
}

/** A call before the fake has decided how to answer it. */
type PendingCall = Omit<FakeCall, 'status'>;

export interface FakeInjection {
  operation: FakeOperation;
  /** AWS error code, or `NetworkError` to drop the connection without an answer. */
  code: string;
  /** Defaults to the status AWS uses for `code`. */
  status?: number;
  /** How many of the next matching calls fail (default 1). */
  times?: number;
  message?: string;
}

/**
 * CloudFront refusing a new invalidation while too many are in progress (HTTP 400, a
 * transient error), for the next `times` matching calls.
 */
export function tooManyInvalidations(
  times = 1,
  operation: FakeOperation = 'CreateInvalidation',
): FakeInjection & { times: number } {
  return { operation, code: 'TooManyInvalidationsInProgress', status: 400, times };
}

/** Answer matching calls late: after `ms`, or (`Infinity`) never, until the caller gives up. */
export interface FakeDelay {
  operation: 'CreateInvalidation' | 'GetInvalidation';
  ms: number;
  /** Only calls about this invalidation (GetInvalidation). */
  invalidationId?: string;
  /** How many of the next matching calls are delayed (default 1; `Infinity` for all). */
  times?: number;
}

export interface FakeOptions {
  /** Distribution ids (or full records) to seed; default one, `E2QWRUHAPOMQZL`. */
  distributions?: (string | Partial<FakeDistribution>)[];
  /** GetInvalidation calls answered `InProgress` before `Completed` (default 1). */
  completeAfterChecks?: number;
  /**
   * Instead of counting checks: an invalidation completes this long after its
   * creation, on the fake's clock (a function picks it per invalidation).
   */
  completeAfterMs?: number | ((invalidation: FakeInvalidation) => number);
  /** Lifetime of assumed-role credentials (default 3600 s). */
  credentialLifetimeSeconds?: number;
  /** The fake's own clock, for CreateTime and credential Expiration. */
  now?: () => Date;
  /**
   * Distribution tenants (`dt_…`) and their multi-tenant distribution. Such a
   * distribution serves only its tenants: plain CreateInvalidation on it
   * answers NoSuchDistribution, as CloudFront does for a tenant-only distribution.
   */
  tenants?: { id: string; distributionId: string }[];
}

const NS = 'http://cloudfront.amazonaws.com/doc/2020-05-31/';
const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

const DEFAULT_STATUS: Record<string, number> = {
  AccessDenied: 403,
  EntityNotFound: 404,
  NoSuchDistribution: 404,
  NoSuchInvalidation: 404,
  InvalidationBatchAlreadyExists: 409,
  ServiceUnavailable: 503,
  InternalError: 500,
  InternalFailure: 500,
};

class FakeState {
  readonly distributions = new Map<string, FakeDistribution>();
  readonly invalidations = new Map<string, FakeInvalidation>();
  /** Tenant id → its multi-tenant distribution's id. */
  readonly tenants = new Map<string, string>();
  readonly calls: FakeCall[] = [];
  readonly injections: (FakeInjection & { status: number; times: number })[] = [];
  readonly delays: (FakeDelay & { times: number })[] = [];
  completeAfterChecks: number;
  completeAfterMs: FakeOptions['completeAfterMs'];
  credentialLifetimeSeconds: number;
  now: () => Date;
  private issuedKeys = 0;

  constructor(options: FakeOptions) {
    this.completeAfterChecks = options.completeAfterChecks ?? 1;
    this.completeAfterMs = options.completeAfterMs;
    this.credentialLifetimeSeconds = options.credentialLifetimeSeconds ?? 3600;
    this.now = options.now ?? (() => new Date());
    for (const d of options.distributions ?? ['E2QWRUHAPOMQZL']) this.addDistribution(d);
    for (const t of options.tenants ?? []) this.addTenant(t.id, t.distributionId);
  }

  /** A tenant of `distributionId`, which becomes multi-tenant (created if unknown). */
  addTenant(tenantId: string, distributionId: string): void {
    if (!this.distributions.has(distributionId)) this.addDistribution(distributionId);
    this.tenants.set(tenantId, distributionId);
  }

  isMultiTenant(distributionId: string): boolean {
    return [...this.tenants.values()].includes(distributionId);
  }

  addDistribution(input: string | Partial<FakeDistribution>): FakeDistribution {
    const given = typeof input === 'string' ? { id: input } : input;
    const id = given.id ?? `E${randomId(13)}`;
    const d: FakeDistribution = {
      id,
      aliases: given.aliases ?? [],
      comment: given.comment ?? '',
      domainName: given.domainName ?? `d${id.toLowerCase().slice(1, 13)}.cloudfront.net`,
      status: given.status ?? 'Deployed',
    };
    this.distributions.set(id, d);
    return d;
  }

  /** Adds `count` distributions with predictable ids `E…0001`, `E…0002`, …; returns their ids. */
  seedDistributions(count: number, prefix = 'ESEED'): string[] {
    return Array.from({ length: count }, (_, i) => {
      const n = String(i + 1).padStart(5, '0');
      return this.addDistribution({
        id: `${prefix}${n}`,
        aliases: [`site${n}.example.com`],
        comment: `seed ${n}`,
      }).id;
    });
  }

  /** Marks an invalidation Completed now, whatever the check count. */
  complete(invalidationId: string): void {
    const inv = this.invalidations.get(invalidationId);
    if (!inv) throw new Error(`fake: no invalidation ${invalidationId}`);
    inv.status = 'Completed';
  }

  callsOf(operation: FakeOperation): FakeCall[] {
    return this.calls.filter((c) => c.operation === operation);
  }

  /** Role ARNs assumed through STS, in order, one per successful AssumeRole. */
  get assumedRoles(): string[] {
    return this.callsOf('AssumeRole')
      .filter((c) => c.status === 200)
      .map((c) => c.roleArn ?? '');
  }

  nextAccessKeyId(): string {
    this.issuedKeys += 1;
    return `ASIAFAKE${String(this.issuedKeys).padStart(8, '0')}`;
  }

  /** Consumes one matching delay, if any. */
  takeDelay(operation: FakeDelay['operation'], invalidationId?: string): FakeDelay | undefined {
    const found = this.delays.find(
      (d) =>
        d.operation === operation &&
        d.times > 0 &&
        (d.invalidationId === undefined || d.invalidationId === invalidationId),
    );
    if (found) found.times -= 1;
    return found;
  }

  /** Consumes one matching injection, if any. */
  takeInjection(operation: FakeOperation): FakeInjection | undefined {
    const found = this.injections.find((i) => i.operation === operation && i.times > 0);
    if (found) found.times -= 1;
    return found;
  }
}

export type CloudFrontFakeState = FakeState;

export interface CloudFrontFake {
  endpoint: string;
  stsEndpoint: string;
  state: FakeState;
  inject(injection: FakeInjection): void;
  /** Answers matching calls late, or not at all until the caller gives up (`ms: Infinity`). */
  delay(delay: FakeDelay): void;
  stop(): Promise<void>;
}

export async function startCloudFrontFake(options: FakeOptions = {}): Promise<CloudFrontFake> {
  const state = new FakeState(options);
  const sockets = new Set<Socket>();
  let endpoint = '';

  const server = createServer((req, res) => {
    readBody(req)
      .then((body) => route(state, endpoint, req, res, body))
      .catch((err: unknown) => {
        send(res, 500, errorXml('Receiver', 'InternalError', String(err)));
      });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    endpoint,
    stsEndpoint: endpoint,
    state,
    inject(injection) {
      state.injections.push({
        ...injection,
        status: injection.status ?? DEFAULT_STATUS[injection.code] ?? 400,
        times: injection.times ?? 1,
      });
    },
    delay(delay) {
      state.delays.push({ ...delay, times: delay.times ?? 1 });
    },
    stop() {
      return new Promise<void>((resolve, reject) => {
        for (const socket of sockets) socket.destroy();
        server.close((err) => (err ? reject(err) : resolve()));
      });
    },
  };
}

function route(state: FakeState, endpoint: string, req: IncomingMessage, res: ServerResponse, body: string) {
  const url = new URL(req.url ?? '/', endpoint);
  const accessKeyId = /Credential=([^/,\s]+)\//.exec(req.headers.authorization ?? '')?.[1];
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);

  if (req.method === 'POST' && url.pathname === '/') {
    const form = new URLSearchParams(body);
    if (form.get('Action') === 'AssumeRole') return assumeRole(state, res, form, accessKeyId);
  }
  if (parts[0] === '2020-05-31' && parts[1] === 'distribution') {
    const distributionId = parts[2];
    if (req.method === 'GET' && parts.length === 2) {
      return listDistributions(state, res, url.searchParams, accessKeyId);
    }
    if (req.method === 'POST' && distributionId && parts[3] === 'invalidation' && parts.length === 4) {
      return createInvalidation(state, endpoint, res, distributionId, body, accessKeyId);
    }
    if (
      req.method === 'GET' &&
      distributionId &&
      parts[3] === 'invalidation' &&
      parts[4] &&
      parts.length === 5
    ) {
      return getInvalidation(state, res, distributionId, parts[4], accessKeyId);
    }
  }
  if (
    parts[0] === '2020-05-31' &&
    parts[1] === 'distribution-tenant' &&
    parts[2] &&
    parts[3] === 'invalidation'
  ) {
    if (req.method === 'POST' && parts.length === 4) {
      return createTenantInvalidation(state, endpoint, res, parts[2], body, accessKeyId);
    }
    if (req.method === 'GET' && parts[4] && parts.length === 5) {
      return getTenantInvalidation(state, res, parts[2], parts[4], accessKeyId);
    }
  }
  send(res, 404, errorXml('Sender', 'NotFound', `fake: no route for ${req.method} ${url.pathname}`));
}

/**
 * Waits `ms` before a delayed call is answered; resolves with the call to answer
 * (marked `abandoned` if its caller hung up meanwhile), or undefined for a hang
 * (`Infinity`) whose caller gave up: recorded as status 0, never answered.
 */
function answerLate(
  state: FakeState,
  res: ServerResponse,
  call: PendingCall,
  ms: number,
): Promise<PendingCall | undefined> {
  return new Promise((resolve) => {
    let gone = false;
    res.on('close', () => {
      if (res.writableFinished) return;
      gone = true;
      if (!Number.isFinite(ms)) {
        state.calls.push({ ...call, status: 0, abandoned: true });
        resolve(undefined);
      }
    });
    if (Number.isFinite(ms)) setTimeout(() => resolve(gone ? { ...call, abandoned: true } : call), ms);
  });
}

/** Answers with an injected failure if one is due; records the call either way. */
function failIfInjected(state: FakeState, res: ServerResponse, call: PendingCall, namespace = NS): boolean {
  const injected = state.takeInjection(call.operation);
  if (!injected) return false;
  if (injected.code === 'NetworkError') {
    state.calls.push({ ...call, status: 0, errorCode: 'NetworkError' });
    res.socket?.destroy();
    return true;
  }
  const status = injected.status ?? 400;
  state.calls.push({ ...call, status, errorCode: injected.code });
  const message = injected.message ?? `fake: injected ${injected.code}`;
  send(res, status, errorXml(status >= 500 ? 'Receiver' : 'Sender', injected.code, message, namespace));
  return true;
}

function fail(
  state: FakeState,
  res: ServerResponse,
  call: PendingCall,
  status: number,
  code: string,
  message: string,
) {
  state.calls.push({ ...call, status, errorCode: code });
  send(res, status, errorXml('Sender', code, message));
}

function createInvalidation(
  state: FakeState,
  endpoint: string,
  res: ServerResponse,
  distributionId: string,
  body: string,
  accessKeyId: string | undefined,
) {
  const { callerReference, paths } = invalidationBatch(body);
  const call: PendingCall = {
    operation: 'CreateInvalidation',
    distributionId,
    callerReference,
    paths,
    accessKeyId,
    at: state.now(),
  };
  const delay = state.takeDelay('CreateInvalidation');
  if (delay) {
    void answerLate(state, res, call, delay.ms).then((late) => {
      if (late) answerCreate(state, endpoint, res, late, body);
    });
    return;
  }
  answerCreate(state, endpoint, res, call, body);
}

function answerCreate(
  state: FakeState,
  endpoint: string,
  res: ServerResponse,
  call: PendingCall,
  body: string,
) {
  const distributionId = call.distributionId ?? '';
  const callerReference = call.callerReference;
  const paths = call.paths ?? [];
  if (failIfInjected(state, res, call)) return;
  if (!state.distributions.has(distributionId) || state.isMultiTenant(distributionId)) {
    return fail(state, res, call, 404, 'NoSuchDistribution', 'The specified distribution does not exist.');
  }
  createOrRepeat(state, endpoint, res, call, body, {
    callerReference,
    paths,
    isSame: (i) => i.distributionId === distributionId,
    fields: { distributionId },
    location: `distribution/${distributionId}`,
    scheduleCompletion: true,
  });
}

/** CreateInvalidationForDistributionTenant: POST /2020-05-31/distribution-tenant/{Id}/invalidation. */
function createTenantInvalidation(
  state: FakeState,
  endpoint: string,
  res: ServerResponse,
  tenantId: string,
  body: string,
  accessKeyId: string | undefined,
) {
  const { callerReference, paths } = invalidationBatch(body);
  const distributionId = state.tenants.get(tenantId);
  const call: PendingCall = {
    operation: 'CreateInvalidationForDistributionTenant',
    tenantId,
    ...(distributionId !== undefined ? { distributionId } : {}),
    callerReference,
    paths,
    accessKeyId,
  };
  if (failIfInjected(state, res, call)) return;
  if (distributionId === undefined) {
    return fail(state, res, call, 404, 'EntityNotFound', 'The distribution tenant does not exist.');
  }
  createOrRepeat(state, endpoint, res, call, body, {
    callerReference,
    paths,
    isSame: (i) => i.tenantId === tenantId,
    fields: { distributionId, tenantId },
    location: `distribution-tenant/${tenantId}`,
    scheduleCompletion: false,
  });
}

interface CreateTarget {
  callerReference: string | undefined;
  paths: string[];
  /** Whether a stored invalidation is on this distribution (or tenant), for the caller-reference check. */
  isSame: (inv: FakeInvalidation) => boolean;
  fields: Pick<FakeInvalidation, 'distributionId' | 'tenantId'>;
  /** The path under /2020-05-31/ of the Location header, before /invalidation/{Id}. */
  location: string;
  /** Only plain distributions honour completeAfterMs; tenant invalidations stay InProgress. */
  scheduleCompletion: boolean;
}

/** The part both Create operations share: body checks, caller-reference idempotency, the 201. */
function createOrRepeat(
  state: FakeState,
  endpoint: string,
  res: ServerResponse,
  call: PendingCall,
  body: string,
  target: CreateTarget,
) {
  const { callerReference, paths } = target;
  if (!body.trim() || callerReference === undefined) {
    return fail(state, res, call, 400, 'MissingBody', 'This operation requires a body.');
  }
  if (Number(xmlText(body, 'Quantity')) !== paths.length) {
    return fail(
      state,
      res,
      call,
      400,
      'InconsistentQuantities',
      'Quantity and the size of Items do not match.',
    );
  }
  const existing = [...state.invalidations.values()].find(
    (i) => target.isSame(i) && i.callerReference === callerReference,
  );
  if (existing && !samePaths(existing.paths, paths)) {
    return fail(
      state,
      res,
      call,
      409,
      'InvalidationBatchAlreadyExists',
      'An invalidation batch with this caller reference already exists.',
    );
  }
  const inv: FakeInvalidation = existing ?? {
    id: `I${randomId(13)}`,
    ...target.fields,
    callerReference,
    paths,
    createTime: state.now(),
    status: 'InProgress' as const,
    checks: 0,
  };
  if (!existing && target.scheduleCompletion && state.completeAfterMs !== undefined) {
    const afterMs =
      typeof state.completeAfterMs === 'function' ? state.completeAfterMs(inv) : state.completeAfterMs;
    inv.completesAt = new Date(inv.createTime.getTime() + afterMs);
  }
  state.invalidations.set(inv.id, inv);
  state.calls.push({ ...call, status: 201, invalidationId: inv.id });
  res.setHeader('Location', `${endpoint}/2020-05-31/${target.location}/invalidation/${inv.id}`);
  send(res, 201, `<?xml version="1.0" encoding="UTF-8"?>\n${invalidationXml(inv, ` xmlns="${NS}"`)}`);
}

/** GetInvalidationForDistributionTenant: GET /2020-05-31/distribution-tenant/{DistributionTenantId}/invalidation/{Id}. */
function getTenantInvalidation(
  state: FakeState,
  res: ServerResponse,
  tenantId: string,
  invalidationId: string,
  accessKeyId: string | undefined,
) {
  const distributionId = state.tenants.get(tenantId);
  const call: PendingCall = {
    operation: 'GetInvalidationForDistributionTenant',
    tenantId,
    ...(distributionId !== undefined ? { distributionId } : {}),
    invalidationId,
    accessKeyId,
  };
  if (failIfInjected(state, res, call)) return;
  const inv = state.invalidations.get(invalidationId);
  if (distributionId === undefined || !inv || inv.tenantId !== tenantId) {
    return fail(
      state,
      res,
      call,
      404,
      'EntityNotFound',
      'The invalidation or distribution tenant does not exist.',
    );
  }
  answerCheck(state, res, call, inv);
}

function getInvalidation(
  state: FakeState,
  res: ServerResponse,
  distributionId: string,
  invalidationId: string,
  accessKeyId: string | undefined,
) {
  const call: PendingCall = {
    operation: 'GetInvalidation',
    distributionId,
    invalidationId,
    accessKeyId,
    at: state.now(),
  };
  const delay = state.takeDelay('GetInvalidation', invalidationId);
  if (delay) {
    void answerLate(state, res, call, delay.ms).then((late) => {
      if (late) answerGet(state, res, late);
    });
    return;
  }
  answerGet(state, res, call);
}

function answerGet(state: FakeState, res: ServerResponse, call: PendingCall) {
  const distributionId = call.distributionId ?? '';
  const invalidationId = call.invalidationId ?? '';
  if (failIfInjected(state, res, call)) return;
  if (!state.distributions.has(distributionId)) {
    return fail(state, res, call, 404, 'NoSuchDistribution', 'The specified distribution does not exist.');
  }
  const inv = state.invalidations.get(invalidationId);
  if (!inv || inv.distributionId !== distributionId || inv.tenantId !== undefined) {
    return fail(state, res, call, 404, 'NoSuchInvalidation', 'The specified invalidation does not exist.');
  }
  answerCheck(state, res, call, inv);
}

/**
 * A status check of a known invalidation (of a distribution or a tenant): counted, Completed
 * once due (at `completesAt` when scheduled, which only distribution invalidations are; else
 * after `completeAfterChecks` checks), and answered with the invalidation.
 */
function answerCheck(state: FakeState, res: ServerResponse, call: PendingCall, inv: FakeInvalidation) {
  inv.checks += 1;
  if (inv.completesAt !== undefined) {
    if (state.now().getTime() >= inv.completesAt.getTime()) inv.status = 'Completed';
  } else if (inv.checks > state.completeAfterChecks) inv.status = 'Completed';
  state.calls.push({ ...call, status: 200 });
  send(res, 200, `<?xml version="1.0" encoding="UTF-8"?>\n${invalidationXml(inv, ` xmlns="${NS}"`)}`);
}

function listDistributions(
  state: FakeState,
  res: ServerResponse,
  query: URLSearchParams,
  accessKeyId: string | undefined,
): void {
  const marker = query.get('Marker') ?? '';
  const call: PendingCall = { operation: 'ListDistributions', marker, accessKeyId };
  if (failIfInjected(state, res, call)) return;
  const maxItems = Number(query.get('MaxItems') ?? '100') || 100;
  const all = [...state.distributions.values()];
  // Like CloudFront, the marker is the id of the last distribution on the previous page.
  const start = marker ? all.findIndex((d) => d.id === marker) + 1 : 0;
  const page = all.slice(start, start + maxItems);
  const truncated = start + page.length < all.length;
  const last = page[page.length - 1];
  state.calls.push({ ...call, status: 200 });
  send(
    res,
    200,
    `<?xml version="1.0" encoding="UTF-8"?>\n<DistributionList xmlns="${NS}">` +
      `<Marker>${esc(marker)}</Marker>` +
      (truncated && last ? `<NextMarker>${esc(last.id)}</NextMarker>` : '') +
      `<MaxItems>${maxItems}</MaxItems><IsTruncated>${truncated}</IsTruncated>` +
      `<Quantity>${page.length}</Quantity>` +
      (page.length ? `<Items>${page.map(distributionSummaryXml).join('')}</Items>` : '') +
      '</DistributionList>',
  );
}

function assumeRole(
  state: FakeState,
  res: ServerResponse,
  form: URLSearchParams,
  accessKeyId: string | undefined,
) {
  const roleArn = form.get('RoleArn') ?? '';
  const tags: Record<string, string> = {};
  // The Query protocol lists tags as Tags.member.<n>.Key / Tags.member.<n>.Value.
  for (let n = 1; form.has(`Tags.member.${n}.Key`); n++) {
    tags[form.get(`Tags.member.${n}.Key`) ?? ''] = form.get(`Tags.member.${n}.Value`) ?? '';
  }
  const call: PendingCall = {
    operation: 'AssumeRole',
    roleArn,
    accessKeyId,
    sessionName: form.get('RoleSessionName') ?? '',
    ...(form.has('SourceIdentity') ? { sourceIdentity: form.get('SourceIdentity') ?? '' } : {}),
    ...(Object.keys(tags).length > 0 ? { tags } : {}),
  };
  if (failIfInjected(state, res, call, STS_NS)) return;
  const lifetime = Number(form.get('DurationSeconds') ?? state.credentialLifetimeSeconds);
  const expiration = new Date(state.now().getTime() + lifetime * 1000);
  const issued = state.nextAccessKeyId();
  const session = form.get('RoleSessionName') ?? '';
  state.calls.push({ ...call, status: 200 });
  send(
    res,
    200,
    `<AssumeRoleResponse xmlns="${STS_NS}"><AssumeRoleResult>` +
      `<AssumedRoleUser><AssumedRoleId>AROAFAKE:${esc(session)}</AssumedRoleId>` +
      `<Arn>${esc(roleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/'))}/${esc(session)}</Arn>` +
      '</AssumedRoleUser>' +
      `<Credentials><AccessKeyId>${issued}</AccessKeyId><SecretAccessKey>secret-${issued}</SecretAccessKey>` +
      `<SessionToken>token-${issued}</SessionToken><Expiration>${expiration.toISOString()}</Expiration></Credentials>` +
      `</AssumeRoleResult><ResponseMetadata><RequestId>${randomId(8)}</RequestId></ResponseMetadata></AssumeRoleResponse>`,
  );
}

function invalidationXml(inv: FakeInvalidation, xmlns: string): string {
  return (
    `<Invalidation${xmlns}><Id>${inv.id}</Id><Status>${inv.status}</Status>` +
    `<CreateTime>${inv.createTime.toISOString()}</CreateTime>` +
    `<InvalidationBatch><Paths><Quantity>${inv.paths.length}</Quantity>` +
    (inv.paths.length ? `<Items>${inv.paths.map((p) => `<Path>${esc(p)}</Path>`).join('')}</Items>` : '') +
    `</Paths><CallerReference>${esc(inv.callerReference)}</CallerReference></InvalidationBatch></Invalidation>`
  );
}

function distributionSummaryXml(d: FakeDistribution): string {
  const aliases = d.aliases.map((a) => `<CNAME>${esc(a)}</CNAME>`).join('');
  return (
    `<DistributionSummary><Id>${d.id}</Id><ARN>arn:aws:cloudfront::123456789012:distribution/${d.id}</ARN>` +
    `<Status>${esc(d.status)}</Status><LastModifiedTime>2024-01-01T00:00:00.000Z</LastModifiedTime>` +
    `<DomainName>${esc(d.domainName)}</DomainName>` +
    `<Aliases><Quantity>${d.aliases.length}</Quantity>${aliases ? `<Items>${aliases}</Items>` : ''}</Aliases>` +
    `<Comment>${esc(d.comment)}</Comment><PriceClass>PriceClass_All</PriceClass><Enabled>true</Enabled>` +
    '<HttpVersion>http2</HttpVersion><IsIPV6Enabled>true</IsIPV6Enabled><Staging>false</Staging>' +
    '</DistributionSummary>'
  );
}

function errorXml(type: 'Sender' | 'Receiver', code: string, message: string, namespace = NS): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${namespace}"><Error><Type>${type}</Type>` +
    `<Code>${esc(code)}</Code><Message>${esc(message)}</Message></Error>` +
    `<RequestId>${randomId(8)}</RequestId></ErrorResponse>`
  );
}

function send(res: ServerResponse, status: number, xml: string): void {
  res.writeHead(status, { 'Content-Type': 'text/xml', 'x-amz-request-id': randomId(8) });
  res.end(xml);
}

/** The CallerReference and the paths of an InvalidationBatch body (either Create operation). */
function invalidationBatch(body: string): { callerReference: string | undefined; paths: string[] } {
  return { callerReference: xmlText(body, 'CallerReference'), paths: xmlTexts(body, 'Path') };
}

function xmlTexts(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => unesc(m[1] ?? ''));
}

function xmlText(xml: string, tag: string): string | undefined {
  return xmlTexts(xml, tag)[0];
}

function samePaths(a: readonly string[], b: readonly string[]): boolean {
  const sorted = (xs: readonly string[]) => [...xs].sort().join('\n');
  return sorted(a) === sorted(b);
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function unesc(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&');
}

function randomId(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return [...randomBytes(length)].map((b) => alphabet[b % alphabet.length]).join('');
}

import type { RequestStore } from '../app/ports';
import type { AuditEvent, InvalidationRequest } from '../domain/request';
import type { MetricPoint, Metrics } from './metrics';

/**
 * The store, counting what it writes: every state change already leaves an audit event in the
 * same conditional write, so the metrics are derived from those events here and no use case
 * needs to know about metrics. Only writes that happened count (a lost race writes nothing).
 */
export function meteredStore(store: RequestStore, metrics: Metrics): RequestStore {
  return {
    // Reads pass through (spelled out: the store may be a class, whose methods a spread would miss).
    get: (id, createdUnder) => store.get(id, createdUnder),
    listDue: (now, limit) => store.listDue(now, limit),
    listByRequester: (userId, limit) => store.listByRequester(userId, limit),
    listByDistribution: (distributionId, limit) => store.listByDistribution(distributionId, limit),
    listEvents: (id) => store.listEvents(id),
    async create(request, event, idempotencyKey) {
      const result = await store.create(request, event, idempotencyKey);
      if (result.created) record(metrics, result.request, [event]);
      return result;
    },
    async update(id, decide, known) {
      let lastEvents: AuditEvent[] = [];
      const result = await store.update(
        id,
        (current) => {
          const change = decide(current);
          // `decide` may run more than once; the last run is the one written.
          lastEvents = change.kind === 'write' ? change.events : [];
          return change;
        },
        known,
      );
      if (result.kind === 'written') record(metrics, result.request, lastEvents);
      return result;
    },
  };
}

function record(metrics: Metrics, request: InvalidationRequest, events: readonly AuditEvent[]): void {
  const points = events.flatMap((e) => pointsOf(e, request));
  metrics.record(points, { requestId: request.id, distribution: request.distributionAlias });
}

const count = (name: MetricPoint['name']): MetricPoint => ({ name, value: 1, unit: 'Count' });

function pointsOf(event: AuditEvent, request: InvalidationRequest): MetricPoint[] {
  if (event.action === 'requested') {
    // A request that needs no approval is created APPROVED: it counts as approved too.
    return event.toStatus === 'APPROVED'
      ? [count('RequestsCreated'), count('RequestsApproved')]
      : [count('RequestsCreated')];
  }
  // Approval skipped in an incident: created and approved at once, and counted for review.
  if (event.action === 'break-glass') {
    return [count('RequestsCreated'), count('RequestsApproved'), count('BreakGlassRequests')];
  }
  if (event.action === 'notice-dropped') return [count('NoticesDropped')];
  if (event.toStatus === undefined || event.toStatus === event.fromStatus) return [];
  switch (event.toStatus) {
    case 'APPROVED':
      return [count('RequestsApproved')];
    case 'REJECTED':
      return [count('RequestsRejected')];
    case 'EXPIRED':
      return [count('RequestsExpired')];
    case 'SUBMITTED':
      return [count('RequestsSubmitted')];
    case 'FAILED':
      return [count('RequestsFailed')];
    case 'COMPLETED': {
      // From approval (when the bot's own work starts) to CloudFront's Completed.
      const from = Date.parse(request.approvedAt ?? request.createdAt);
      const to = Date.parse(request.completedAt ?? event.at);
      const points = [count('RequestsCompleted')];
      if (Number.isFinite(from) && Number.isFinite(to)) {
        points.push({ name: 'TimeToCompletion', value: Math.max(0, to - from), unit: 'Milliseconds' });
      }
      return points;
    }
    default:
      return [];
  }
}

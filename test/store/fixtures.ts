import { ulid } from 'ulid';
import type { Change } from '../../src/app/ports';
import type { AuditEvent, InvalidationRequest, Notice } from '../../src/domain/request';
import { storedRequest } from '../support/request-fixtures';

export const T0 = Date.parse('2030-01-01T12:00:00.000Z');

export function at(offsetMs: number): string {
  return new Date(T0 + offsetMs).toISOString();
}

export const MINUTE = 60_000;

/** A fresh PENDING request; the id's time part is `createdAt`, as in the product. */
export function pendingRequest(overrides: Partial<InvalidationRequest> = {}): InvalidationRequest {
  const createdAt = overrides.createdAt ?? at(0);
  return storedRequest(ulid(Date.parse(createdAt)), createdAt, {
    decideBy: at(24 * 60 * MINUTE),
    ...overrides,
  });
}

export function notice(overrides: Partial<Notice> = {}): Notice {
  return { id: 'card@1', kind: 'card', createdAt: at(0), attempts: 0, ...overrides };
}

export function createdEvent(request: InvalidationRequest): AuditEvent {
  return { requestId: request.id, at: request.createdAt, actor: request.requesterId, action: 'created' };
}

/** A decide that applies `patch` as the next version, with one audit event per action. */
export function patchWith(
  patch: Partial<InvalidationRequest>,
  when: string,
  actions: readonly string[] = ['patched'],
): (current: InvalidationRequest) => Change<number> {
  return (current) => ({
    kind: 'write',
    next: { ...current, ...patch, version: current.version + 1, updatedAt: when },
    events: actions.map((action) => ({
      requestId: current.id,
      at: when,
      actor: 'bot',
      action,
      fromStatus: current.status,
      toStatus: patch.status ?? current.status,
    })),
    result: current.version,
  });
}

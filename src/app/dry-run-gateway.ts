import type { Clock, GatewayResult, InvalidationGateway, InvalidationInfo } from './ports';

/** How long a simulated invalidation takes to "complete". */
export const DRY_RUN_COMPLETION_MS = 20_000;

/**
 * Stands in for CloudFront when DRY_RUN is on: the whole flow runs, nothing is
 * invalidated. Stateless across Lambda invocations: the simulated invalidation
 * id carries its creation time, so any later check can tell whether it is done.
 */
export function dryRunGateway(clock: Clock, completionMs = DRY_RUN_COMPLETION_MS): InvalidationGateway {
  return {
    async submit(_target, callerReference): Promise<GatewayResult<InvalidationInfo>> {
      const createdMs = clock.now().getTime();
      const invalidationId = `DRYRUN-${createdMs}-${callerReference.slice(-6)}`;
      return {
        ok: true,
        value: { invalidationId, status: 'InProgress', createTime: new Date(createdMs).toISOString() },
      };
    },
    async get(_target, invalidationId): Promise<GatewayResult<InvalidationInfo>> {
      const createdMs = Number(invalidationId.split('-')[1]);
      if (!Number.isFinite(createdMs)) {
        return {
          ok: false,
          error: {
            kind: 'permanent',
            code: 'NoSuchInvalidation',
            message: `Dry run: unknown invalidation ${invalidationId}.`,
          },
        };
      }
      const done = clock.now().getTime() - createdMs >= completionMs;
      return { ok: true, value: { invalidationId, status: done ? 'Completed' : 'InProgress' } };
    },
  };
}

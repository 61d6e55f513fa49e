import type { InvalidationGateway } from '../app/ports';
import { onFirstUse } from '../shared/on-first-use';

/**
 * A gateway loaded on its first call. The Lambda bundles ship the CloudFront
 * gateway as a file of its own (scripts/build.mjs), so a cold start that neither
 * submits nor checks never parses the CloudFront and STS clients.
 */
export function lazyGateway(load: () => Promise<InvalidationGateway>): InvalidationGateway {
  const loaded = onFirstUse(load);
  return {
    submit: async (target, callerReference, paths, options) =>
      (await loaded()).submit(target, callerReference, paths, options),
    get: async (target, invalidationId, options) => (await loaded()).get(target, invalidationId, options),
  };
}

import type { InvalidationGateway } from '../app/ports';

/**
 * A gateway loaded on its first call. The Lambda bundles ship the CloudFront
 * gateway as a file of its own (scripts/build.mjs), so a cold start that neither
 * submits nor checks never parses the CloudFront and STS clients. Concurrent
 * first calls share one load; a load that fails is tried again on the next call.
 */
export function lazyGateway(load: () => Promise<InvalidationGateway>): InvalidationGateway {
  let loading: Promise<InvalidationGateway> | undefined;
  const loaded = (): Promise<InvalidationGateway> => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
  return {
    submit: async (target, callerReference, paths) => (await loaded()).submit(target, callerReference, paths),
    get: async (target, invalidationId) => (await loaded()).get(target, invalidationId),
  };
}

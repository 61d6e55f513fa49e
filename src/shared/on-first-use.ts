/**
 * Memoizes an async load, started on the first call: concurrent first calls
 * share one load, and a load that fails is tried again on the next call rather
 * than failing every call after it. Used to load the AWS SDK clients on first
 * use (the Lambda bundles ship them as files of their own, see scripts/build.mjs).
 */
export function onFirstUse<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}

/**
 * The same for something built synchronously: made on the first call, the same one after. The
 * slack function's Web API clients and id generator, which most of its cold starts never need.
 */
export function madeOnFirstUse<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => {
    made ??= make();
    return made;
  };
}

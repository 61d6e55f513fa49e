import { en } from 'zod/locales';
import { config } from 'zod/mini';

/**
 * The one way into zod: `import * as z` from here (…/shared/zod). Every schema the Lambda bundles
 * build is zod/mini: the classic build costs a cold start about 10 ms more just to load
 * (README, "Benchmark"), for methods we would call once per container. mini ships no
 * messages of its own, so English is set here, before any schema parses: the messages are
 * the ones the classic build gives.
 */
config(en());

export * from 'zod/mini';

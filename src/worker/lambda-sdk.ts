/**
 * The Lambda client the kick needs, in a module of its own that the bundles
 * load on first use (scripts/build.mjs): opening the modal never parses it.
 */
export { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';

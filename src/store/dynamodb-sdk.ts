/**
 * What the store needs from the AWS SDK at run time, in one module that the
 * Lambda bundles load on first use (scripts/build.mjs): a cold start that never
 * touches the store (opening the modal, help, the type-ahead) never parses the
 * DynamoDB client. The store's own logic and codecs stay in the bundle.
 */
export {
  BatchWriteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
export { createDynamoClient } from './client';

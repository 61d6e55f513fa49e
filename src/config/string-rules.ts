import * as z from '../shared/zod';

/** A string that must match `pattern`; `message` names the rule, never the value (it may be a secret). */
export function matching(pattern: RegExp, message: string) {
  return z.string().check(z.regex(pattern, message));
}

/** An IAM role ARN, in any partition: the config's `roleArn` and the environment's INVALIDATOR_ROLE_ARN. */
export function iamRoleArn() {
  return matching(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'must be an IAM role ARN');
}

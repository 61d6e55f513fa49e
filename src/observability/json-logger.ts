import type { Logger } from '../app/deps';
import { withErrorFields } from './error-fields';
import { currentInvocation, type InvocationFields } from './invocation-context';

/**
 * One JSON object per line, stable keys, so CloudWatch Logs Insights can filter by requestId,
 * distribution or awsRequestId. Error values are written whole (name, message, stack, cause).
 */
export function jsonLogger(
  base: Record<string, unknown> = {},
  write: (line: string) => void = console.log,
  invocation: () => InvocationFields = currentInvocation,
): Logger {
  const log =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      write(
        JSON.stringify({
          level,
          message,
          ...base,
          ...invocation(),
          ...withErrorFields(fields),
          time: new Date().toISOString(),
        }),
      );
  return { info: log('info'), warn: log('warn'), error: log('error') };
}

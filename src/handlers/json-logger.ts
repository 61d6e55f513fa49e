import type { Logger } from '../app/deps';

/** One JSON object per line, stable keys, so CloudWatch Logs Insights can filter by requestId or distribution. */
export function jsonLogger(
  base: Record<string, unknown> = {},
  write: (line: string) => void = console.log,
): Logger {
  const log =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      write(JSON.stringify({ level, message, ...base, ...fields, time: new Date().toISOString() }));
  return { info: log('info'), warn: log('warn'), error: log('error') };
}

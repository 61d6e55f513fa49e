import { type Logger as BoltLoggerInterface, LogLevel } from '@slack/bolt';
import type { Logger } from '../app/deps';

const ORDER: Record<LogLevel, number> = {
  [LogLevel.DEBUG]: 0,
  [LogLevel.INFO]: 1,
  [LogLevel.WARN]: 2,
  [LogLevel.ERROR]: 3,
};

/**
 * Bolt's own log lines (a failed signature check, an unacknowledged request, a listener error)
 * written through the bot's JSON logger, so they carry the same invocation fields and show
 * errors whole. Bolt passes loose arguments; strings become the message, errors the `error`
 * field, anything else `details`.
 */
export function boltLogger(log: Logger, level: LogLevel = LogLevel.INFO): BoltLoggerInterface {
  let current = level;
  let name = 'bolt';
  const write =
    (at: LogLevel, sink: keyof Logger) =>
    (...args: unknown[]) => {
      if (ORDER[at] < ORDER[current]) return;
      const words = args.filter((a): a is string => typeof a === 'string');
      const error = args.find((a): a is Error => a instanceof Error);
      const details = args.filter((a) => typeof a !== 'string' && !(a instanceof Error));
      log[sink](words.join(' ') || error?.message || 'bolt', {
        source: name,
        ...(error ? { error } : {}),
        ...(details.length > 0 ? { details } : {}),
      });
    };
  return {
    debug: write(LogLevel.DEBUG, 'info'),
    info: write(LogLevel.INFO, 'info'),
    warn: write(LogLevel.WARN, 'warn'),
    error: write(LogLevel.ERROR, 'error'),
    setLevel: (next) => {
      current = next;
    },
    getLevel: () => current,
    setName: (next) => {
      name = next;
    },
  };
}

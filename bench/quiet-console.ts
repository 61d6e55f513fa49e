import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * The bot logs one JSON line per event to the console, as Lambda expects. While
 * it runs inside the benchmark those lines would bury the table, so they go to
 * /dev/null instead, with a real write each, so the cost of logging stays in
 * what is measured. Warnings and errors are counted: a run that logs errors is
 * not measuring the happy path.
 *
 * The bot's logger keeps the `console.log` it found when the handler was built,
 * so install this once, before the first invocation, and keep it for as long
 * as that handler runs.
 */
export interface LogTally {
  warnings: number;
  errors: number;
  /** The first few warning and error lines. */
  samples: string[];
}

export interface QuietConsole {
  /** What was logged since the last `take()` (or since installing). */
  take(): LogTally;
  restore(): void;
}

type ConsoleMethod = 'log' | 'info' | 'debug' | 'warn' | 'error';
const METHODS: ConsoleMethod[] = ['log', 'info', 'debug', 'warn', 'error'];
const MAX_SAMPLES = 5;
// Node's own process warnings (e.g. the AWS SDK's Node-version notice) arrive on console.error.
const NODE_WARNING = /^\(node:\d+\) \[?\w*Warning/;

/** The level of a line the bot's JSON logger wrote (it uses console.log for every level). */
export function logLineLevel(line: string): string {
  return /^\{"level":"(\w+)"/.exec(line)?.[1] ?? 'info';
}

function levelOf(method: ConsoleMethod, line: string): string {
  if (method === 'log') return logLineLevel(line);
  if (method === 'error' && NODE_WARNING.test(line)) return 'warn';
  return method;
}

export function quietConsole(): QuietConsole {
  const devNull = openSync('/dev/null', 'w');
  const saved = new Map(METHODS.map((method) => [method, console[method]]));
  let restored = false;
  let tally: LogTally = { warnings: 0, errors: 0, samples: [] };

  for (const method of METHODS) {
    console[method] = (...args: unknown[]) => {
      const line = args.map((arg) => (typeof arg === 'string' ? arg : String(arg))).join(' ');
      if (!restored) writeSync(devNull, `${line}\n`);
      const level = levelOf(method, line);
      if (level === 'warn') tally.warnings++;
      if (level === 'error') tally.errors++;
      if ((level === 'warn' || level === 'error') && tally.samples.length < MAX_SAMPLES) {
        tally.samples.push(line.split('\n')[0]?.slice(0, 300) ?? '');
      }
    };
  }

  return {
    take() {
      const taken = tally;
      tally = { warnings: 0, errors: 0, samples: [] };
      return taken;
    },
    restore() {
      if (restored) return;
      restored = true;
      for (const [method, original] of saved) console[method] = original;
      closeSync(devNull);
    },
  };
}

import { kickEvent } from '../app/kick';
import { type PollRun, runPoller } from '../app/poll';
import { withInvocationLog } from '../observability/invocation-context';
import { recordScheduledRun } from '../observability/scheduled-run';
import { awaitSecrets } from '../secrets/await-secrets';
import { containerSecrets } from '../secrets/container-secrets';
import { runKick } from '../worker/run-kick';
import { buildRuntime, type WiringOverrides } from './wiring';

type PollerHandler = (event?: unknown, context?: unknown) => Promise<PollRun>;

/** Lambda's own clock for this invocation, where there is one (tests and dev have none). */
function remainingTime(context: unknown): { remainingMs?: () => number } {
  const get = (context as { getRemainingTimeInMillis?: unknown } | undefined)?.getRemainingTimeInMillis;
  return typeof get === 'function' ? { remainingMs: () => Number(get.call(context)) } : {};
}

/**
 * The worker. A scheduled event (EventBridge, every minute): submit, check,
 * expire, and deliver what Slack is owed, for everything due. A kick (an
 * asynchronous invoke from the slack function, see app/kick.ts): the work one
 * Slack request handed over, at once.
 */
export function createPollerHandler(
  source: Readonly<Record<string, string | undefined>> = process.env,
  overrides: WiringOverrides = {},
): PollerHandler {
  const { deps, web } = buildRuntime('poller', source, overrides);
  return async (event, context) => {
    if (isKick(event)) {
      const parsed = kickEvent.safeParse(event);
      if (!parsed.success) {
        // Not retried: the same event would fail the same way. The schedule covers request work.
        deps.log.error('unreadable kick', { issues: parsed.error.issues.map((i) => i.message) });
        return { rounds: 0, due: 0 };
      }
      await runKick(deps, web(), parsed.data, remainingTime(context));
      return { rounds: 1, due: 1 };
    }
    const run = await runPoller(deps, remainingTime(context));
    if (run.due > 0) deps.log.info('poller run', { rounds: run.rounds, due: run.due });
    return run;
  };
}

function isKick(event: unknown): boolean {
  return typeof event === 'object' && event !== null && 'kick' in event;
}

let instance: PollerHandler | undefined;
// Read from SSM once per container, starting now (src/secrets).
const secrets = containerSecrets(process.env, 'poller');

export const handler = withInvocationLog(async (event?: unknown, context?: unknown): Promise<PollRun> => {
  const read = await awaitSecrets(secrets, 'poller');
  // Logged; the next scheduled run (or kick) reads again. Nothing was done, nothing is lost.
  if (!read.ok) return { rounds: 0, due: 0 };
  instance ??= createPollerHandler(read.source);
  const run = await instance(event, context);
  recordScheduledRun(event);
  return run;
});

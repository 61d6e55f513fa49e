import { type PollRun, runPoller } from '../app/poll';
import { withInvocationLog } from '../observability/invocation-context';
import { recordScheduledRun } from '../observability/scheduled-run';
import { awaitSecrets } from '../secrets/await-secrets';
import { containerSecrets } from '../secrets/container-secrets';
import { buildRuntime, type WiringOverrides } from './wiring';

type PollerHandler = () => Promise<PollRun>;

/** The scheduled poller: submits, checks, expires, and delivers what Slack is owed. */
export function createPollerHandler(
  source: Readonly<Record<string, string | undefined>> = process.env,
  overrides: WiringOverrides = {},
): PollerHandler {
  const { deps } = buildRuntime('poller', source, overrides);
  return async () => {
    const run = await runPoller(deps);
    if (run.due > 0) deps.log.info('poller run', { rounds: run.rounds, due: run.due });
    return run;
  };
}

let instance: PollerHandler | undefined;
// Read from SSM once per container, starting now (src/secrets).
const secrets = containerSecrets(process.env, 'poller');

export const handler = withInvocationLog(async (event?: unknown, _context?: unknown): Promise<PollRun> => {
  const read = await awaitSecrets(secrets, 'poller');
  // Logged; the next scheduled run (or kick) reads again. Nothing was done, nothing is lost.
  if (!read.ok) return { rounds: 0, due: 0 };
  instance ??= createPollerHandler(read.source);
  const run = await instance();
  recordScheduledRun(event);
  return run;
});

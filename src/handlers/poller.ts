import { type PollRun, runPoller } from '../app/poll';
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

export const handler = async (): Promise<PollRun> => {
  instance ??= createPollerHandler();
  return instance();
};

import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { BotDeps } from '../../../app/deps';
import { homeOpened } from '../../payloads';

type Args = AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_home_opened'>;

/** The App Home tab: built and published by the worker (queries and views.publish), after the answer. */
export function appHomeOpenedHandler(deps: BotDeps) {
  return async ({ event }: Args): Promise<void> => {
    const parsed = homeOpened.safeParse(event);
    if (!parsed.success || (parsed.data.tab !== undefined && parsed.data.tab !== 'home')) return;
    await deps.kicker.kick({ kick: 'home', user: parsed.data.user });
  };
}

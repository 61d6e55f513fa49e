import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { BotDeps } from '../../../app/deps';
import { IN_FLIGHT_STATUSES } from '../../../domain/request';
import { permalinks } from '../../delivery/permalinks';
import { homeOpened } from '../../payloads';
import { appHome } from '../../views/app-home';

type Args = AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_home_opened'>;

/** The App Home tab: the person's recent requests and everything in flight. */
export function appHomeOpenedHandler(deps: BotDeps) {
  return async ({ event, client }: Args): Promise<void> => {
    const parsed = homeOpened.safeParse(event);
    if (!parsed.success || (parsed.data.tab !== undefined && parsed.data.tab !== 'home')) return;
    const userId = parsed.data.user;
    try {
      const [mine, due] = await Promise.all([
        deps.store.listByRequester(userId, 20),
        deps.store.listDue(new Date(deps.clock.now().getTime() + 24 * 3_600_000), 100),
      ]);
      const inFlight = due.filter((r) => IN_FLIGHT_STATUSES.has(r.status));
      const links = await permalinks(client, [...inFlight, ...mine]);
      await client.views.publish({
        user_id: userId,
        view: appHome({ userId, mine, inFlight, permalinks: links, dryRun: deps.settings.dryRun }),
      });
    } catch (error) {
      deps.log.error('app home failed', { user: userId, error: String(error) });
    }
  };
}

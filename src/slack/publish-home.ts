import type { WebClient } from '@slack/web-api';
import type { BotDeps } from '../app/deps';
import { IN_FLIGHT_STATUSES } from '../domain/request';
import { permalinks } from './delivery/permalinks';
import { appHome } from './views/app-home';

/** Builds and publishes a person's App Home tab (run by the worker after an app_home_opened event). */
export async function publishHome(deps: BotDeps, client: WebClient, userId: string): Promise<void> {
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
}

import type { WebClient } from '@slack/web-api';
import type { BotDeps } from '../app/deps';
import { homeLists } from '../app/home-lists';
import { permalinks } from './delivery/permalinks';
import { appHome } from './views/app-home';

/** Builds and publishes a person's App Home tab (run by the worker after an app_home_opened event). */
export async function publishHome(deps: BotDeps, client: WebClient, userId: string): Promise<void> {
  const lists = await homeLists(deps, userId);
  const links = await permalinks(client, [...lists.waiting, ...lists.inFlight, ...lists.mine]);
  await client.views.publish({
    user_id: userId,
    view: appHome({ userId, ...lists, permalinks: links, dryRun: deps.settings.dryRun }),
  });
}

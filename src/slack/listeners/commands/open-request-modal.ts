import type { WebClient } from '@slack/web-api';
import { mayBreakGlassAnywhere } from '../../../app/break-glass-access';
import type { BotDeps } from '../../../app/deps';
import { findDistribution } from '../../../config/load-config';
import { requestModal } from '../../views/request-modal';

export interface RequestFormOpening {
  triggerId: string;
  userId: string;
  /** The channel it was opened from, carried to the submission. */
  channelId?: string;
  alias?: string;
  /** Pre-filled ("Request again"). */
  paths?: string;
  reason?: string;
}

/** Opens the request form; returns false when Slack refused (e.g. the trigger expired). */
export async function openRequestModal(
  deps: BotDeps,
  client: WebClient,
  opening: RequestFormOpening,
): Promise<boolean> {
  const { alias } = opening;
  const known = alias !== undefined && findDistribution(deps.config, alias) !== undefined;
  try {
    const offerBreakGlass = await mayBreakGlassAnywhere(deps, opening.userId);
    await client.views.open({
      trigger_id: opening.triggerId,
      view: requestModal({
        dryRun: deps.settings.dryRun,
        ...(opening.channelId !== undefined
          ? { privateMetadata: JSON.stringify({ channel: opening.channelId }) }
          : {}),
        ...(known && alias !== undefined ? { initialAlias: alias } : {}),
        ...(opening.paths !== undefined ? { initialPaths: opening.paths } : {}),
        ...(opening.reason !== undefined ? { initialReason: opening.reason } : {}),
        offerBreakGlass,
      }),
    });
    return true;
  } catch (error) {
    deps.log.error('views.open failed', { user: opening.userId, error });
    return false;
  }
}

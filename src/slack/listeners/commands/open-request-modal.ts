import type { WebClient } from '@slack/web-api';
import type { BotDeps } from '../../../app/deps';
import { findDistribution } from '../../../domain/config-loader';
import type { CommandPayload } from '../../payloads';
import { requestModal } from '../../views/request-modal';

/** Opens the request form; returns false when Slack refused (e.g. the trigger expired). */
export async function openRequestModal(
  deps: BotDeps,
  client: WebClient,
  payload: CommandPayload,
  alias?: string,
): Promise<boolean> {
  const known = alias !== undefined && findDistribution(deps.config, alias) !== undefined;
  try {
    await client.views.open({
      trigger_id: payload.trigger_id,
      view: requestModal({
        dryRun: deps.settings.dryRun,
        privateMetadata: JSON.stringify({ channel: payload.channel_id }),
        ...(known && alias !== undefined ? { initialAlias: alias } : {}),
      }),
    });
    return true;
  } catch (error) {
    deps.log.error('views.open failed', { user: payload.user_id, error });
    return false;
  }
}

import type { BotDeps } from '../../src/app/deps';
import { buildRuntime } from '../../src/handlers/wiring';
import type { Bot } from '../support/bot';

/** The use cases' dependencies as the poller wires them, on a test bot's dynalite, fakes and clock. */
export function pollerDeps(bot: Bot): BotDeps {
  return buildRuntime('poller', bot.env, { clock: bot.clock }).deps;
}

import { afterEach } from 'vitest';
import { type Bot, type StartBotOptions, startBot } from './bot';

/**
 * Kept apart from bot.ts, which the benchmark imports outside vitest.
 *
 * Per-test bots for a test file: `const start = useBots();` then
 * `const bot = await start(options)`; every bot a test started is stopped after it.
 */
export function useBots(): (options?: StartBotOptions) => Promise<Bot> {
  const bots: Bot[] = [];
  afterEach(async () => {
    await Promise.all(bots.splice(0).map((b) => b.stop()));
  });
  return async (options) => {
    const b = await startBot(options);
    bots.push(b);
    return b;
  };
}

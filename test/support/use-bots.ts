import { afterEach, beforeEach } from 'vitest';
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

/**
 * One bot for every test of a file (or of the describe it is called in): a fresh one is
 * started before each test and stopped after it. `const bot = useBot();` then, in a test or
 * a helper it calls, `bot.send(…)`, `storeOf(bot)`: `bot` stands for the running test's bot.
 */
export function useBot(options?: StartBotOptions): Bot {
  const start = useBots();
  let current: Bot | undefined;
  beforeEach(async () => {
    current = await start(options);
  });
  afterEach(() => {
    current = undefined;
  });
  const running = (): Bot => {
    if (current === undefined) throw new Error('useBot: the bot is there only while a test runs');
    return current;
  };
  return new Proxy({} as Bot, {
    get: (_, key) => Reflect.get(running(), key),
    has: (_, key) => Reflect.has(running(), key),
    ownKeys: () => Reflect.ownKeys(running()),
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(running(), key);
      // The target is an empty object: a proxy may only report its properties as configurable.
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}

import * as z from '../../shared/zod';
import type { PlaygroundInteractions } from './interactions';
import { PEOPLE } from './people';

/**
 * What the page may ask of the playground server (POST /ui/<name>), each body
 * checked before anything is sent to the bot: the page is a client like any other.
 */

export const personId = z.enum(PEOPLE.map((p) => p.id) as [string, ...string[]], {
  error: 'must be a playground person',
});
const viewValues = z.record(z.string(), z.record(z.string(), z.looseObject({ type: z.string() })));

export type UiAnswer = { status: number; body: unknown };
type UiRoute = (raw: unknown) => Promise<UiAnswer>;

const nonEmpty = () => z.string().check(z.minLength(1));

const DONE: UiAnswer = { status: 200, body: { ok: true } };

function route<T>(schema: z.ZodMiniType<T>, run: (body: T) => Promise<UiAnswer>): UiRoute {
  return async (raw) => {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const error = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
      return { status: 400, body: { error } };
    }
    return run(parsed.data);
  };
}

/** A route that makes the playground do something, answered `{ ok: true }` once it is done. */
function action<T>(schema: z.ZodMiniType<T>, run: (body: T) => Promise<void>): UiRoute {
  return route(schema, async (body) => {
    await run(body);
    return DONE;
  });
}

export function uiRoutes(ui: PlaygroundInteractions): Record<string, UiRoute> {
  return {
    command: action(
      z.object({ as: personId, text: z.string().check(z.minLength(1), z.maxLength(4_000)) }),
      (b) => ui.command(b.as, b.text),
    ),
    click: action(
      z.object({
        as: personId,
        actionId: nonEmpty(),
        blockId: z.string(),
        value: z.optional(z.string()),
        text: z.string(),
        channel: z.optional(z.string()),
        ts: z.optional(z.string()),
        viewId: z.optional(z.string()),
      }),
      ({ as, ...click }) => ui.click({ ...click, userId: as }),
    ),
    submit: action(z.object({ as: personId, viewId: nonEmpty(), values: viewValues }), (b) =>
      ui.submit(b.as, b.viewId, b.values),
    ),
    close: action(z.object({ as: personId, viewId: nonEmpty() }), (b) => ui.close(b.as, b.viewId)),
    suggest: route(
      z.object({
        as: personId,
        viewId: nonEmpty(),
        actionId: z.string(),
        blockId: z.string(),
        value: z.string(),
      }),
      async ({ as, ...input }) => ({ status: 200, body: await ui.suggest({ ...input, userId: as }) }),
    ),
    home: action(z.object({ as: personId }), (b) => ui.openHome(b.as)),
  };
}

import * as z from '../shared/zod';

/**
 * The parts of Slack's payloads the listeners use, parsed at the edge. Bolt
 * has verified the signature; these schemas check the shape, so a listener
 * never reaches into a payload with a non-null assertion. Each is built on its
 * first parse (`z.lazy`): a cold start builds only the one its request needs.
 */

const nonEmpty = () => z.string().check(z.minLength(1));
const user = () => z.object({ id: nonEmpty() });
const actions = () =>
  z
    .array(z.object({ action_id: z.string(), value: z.string().check(z.minLength(1), z.maxLength(64)) }))
    .check(z.minLength(1));

export const commandPayload = z.lazy(() =>
  z.object({
    text: z._default(z.string(), ''),
    user_id: nonEmpty(),
    channel_id: nonEmpty(),
    trigger_id: nonEmpty(),
  }),
);
export type CommandPayload = z.infer<typeof commandPayload>;

export const buttonClick = z.lazy(() =>
  z.object({
    user: user(),
    channel: z.optional(z.object({ id: nonEmpty() })),
    container: z.optional(
      z.object({ channel_id: z.optional(z.string()), message_ts: z.optional(z.string()) }),
    ),
    actions: actions(),
  }),
);

export const requestSubmission = z.lazy(() => {
  const selectedOption = z.nullish(z.object({ value: z.string() }));
  return z.object({
    user: user(),
    view: z.object({
      id: nonEmpty(),
      private_metadata: z.optional(z.string()),
      state: z.object({
        values: z.object({
          distribution: z.optional(z.object({ distribution: z.object({ selected_option: selectedOption }) })),
          paths: z.optional(z.object({ paths: z.object({ value: z.nullish(z.string()) }) })),
          paths_file: z.optional(
            z.object({
              paths_file: z.object({
                files: z.nullish(z.array(z.object({ id: z.string().check(z.regex(/^F[A-Z0-9]+$/)) }))),
              }),
            }),
          ),
          reason: z.optional(z.object({ reason: z.object({ value: z.nullish(z.string()) }) })),
          break_glass: z.optional(
            z.object({
              break_glass: z.object({
                selected_options: z.nullish(z.array(z.object({ value: z.string() }))),
              }),
            }),
          ),
        }),
      }),
    }),
  });
});

export const optionsRequest = z.lazy(() =>
  z.object({
    user: user(),
    value: z._default(z.string(), ''),
  }),
);

export const homeOpened = z.lazy(() =>
  z.object({
    user: nonEmpty(),
    tab: z.optional(z.string()),
  }),
);

/** The reject form (`reject_request`): the request id in private_metadata, an optional reason. */
export const rejectSubmission = z.lazy(() =>
  z.object({
    user: user(),
    view: z.object({
      private_metadata: z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/)),
      state: z.object({
        values: z.object({
          reason: z.optional(
            z.object({ reason: z.object({ value: z.nullish(z.string().check(z.maxLength(3_000))) }) }),
          ),
        }),
      }),
    }),
  }),
);

/** A button click that opens a modal: the trigger id lives 3 s. */
export const modalButtonClick = z.lazy(() =>
  z.object({
    trigger_id: nonEmpty(),
    user: user(),
    channel: z.optional(z.object({ id: nonEmpty() })),
    container: z.optional(z.object({ channel_id: z.optional(z.string()) })),
    actions: actions(),
  }),
);

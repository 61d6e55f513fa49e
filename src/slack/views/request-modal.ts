import type { KnownBlock, ModalView } from '@slack/types';
import { contextBlock } from '../messages/sections';
import { BLOCK_KIT_LIMITS } from '../messages/slack-message';

/** The modal's ids (DESIGN.md, Slack surface contract): block id and action id are the same word. */
export const REQUEST_MODAL = {
  callbackId: 'invalidate_request',
  distribution: 'distribution',
  paths: 'paths',
  /** Optional `file_input`: a plain-text list, for lists longer than the field's 3,000 characters. */
  pathsFile: 'paths_file',
  reason: 'reason',
  breakGlass: 'break_glass',
} as const;

export interface RequestModalInput {
  dryRun: boolean;
  /** Preselects a distribution, e.g. from `/invalidate www`. */
  initialAlias?: string;
  /** Carried to the submission (e.g. the channel the command came from); at most 3,000 characters. */
  privateMetadata?: string;
  /** Pre-filled, e.g. by "Request again": the paths one per line, and the reason. */
  initialPaths?: string;
  initialReason?: string;
  /** The person may break glass on some distribution: show the checkbox. */
  offerBreakGlass?: boolean;
}

/** The `/invalidate` form: distribution, paths, reason. */
export function requestModal(input: RequestModalInput): ModalView & { blocks: KnownBlock[] } {
  if (
    input.privateMetadata !== undefined &&
    input.privateMetadata.length > BLOCK_KIT_LIMITS.privateMetadata
  ) {
    // Cutting it would hand the submission handler corrupt data; this is a bug in the caller.
    throw new RangeError(`private_metadata is ${input.privateMetadata.length} characters; Slack allows 3000`);
  }
  const blocks: KnownBlock[] = [];
  if (input.dryRun) {
    blocks.push(contextBlock(':test_tube: Dry run: no invalidation will be sent.'));
  }
  blocks.push(
    {
      type: 'input',
      block_id: REQUEST_MODAL.distribution,
      // Left empty, a list of full URLs goes to the distribution owning their hosts.
      optional: true,
      label: { type: 'plain_text', text: 'Distribution' },
      element: {
        type: 'external_select',
        action_id: REQUEST_MODAL.distribution,
        min_query_length: 0,
        placeholder: { type: 'plain_text', text: 'Search by alias, id or description' },
        ...(input.initialAlias === undefined
          ? {}
          : {
              initial_option: {
                text: { type: 'plain_text', text: input.initialAlias },
                value: input.initialAlias,
              },
            }),
      },
    },
    {
      type: 'input',
      block_id: REQUEST_MODAL.paths,
      // May be empty when a file of paths is attached below.
      optional: true,
      label: { type: 'plain_text', text: 'Paths' },
      element: {
        type: 'plain_text_input',
        action_id: REQUEST_MODAL.paths,
        multiline: true,
        ...(input.initialPaths !== undefined && input.initialPaths !== ''
          ? { initial_value: input.initialPaths.slice(0, 3_000) }
          : {}),
        placeholder: { type: 'plain_text', text: '/index.html\n/css/*' },
      },
      hint: {
        type: 'plain_text',
        text:
          'One path per line, each starting with /. Full URLs are OK (https://example.com/a.png?v=2 becomes /a.png). ' +
          '* only at the end: /images/* clears everything under /images/. Paths are case sensitive. ' +
          '#tag clears a cache tag. No distribution picked: full URLs go to the one that serves their host.',
      },
    },
    {
      type: 'input',
      block_id: REQUEST_MODAL.pathsFile,
      optional: true,
      label: { type: 'plain_text', text: 'Or a file of paths' },
      element: {
        type: 'file_input',
        action_id: REQUEST_MODAL.pathsFile,
        filetypes: ['txt', 'text', 'csv'],
        max_files: 1,
      },
      hint: {
        type: 'plain_text',
        text: 'A plain-text file, one path, URL or #tag per line, for lists too long for the field (up to 100,000 items).',
      },
    },
    {
      type: 'input',
      block_id: REQUEST_MODAL.reason,
      optional: true,
      label: { type: 'plain_text', text: 'Reason' },
      element: {
        type: 'plain_text_input',
        action_id: REQUEST_MODAL.reason,
        ...(input.initialReason !== undefined && input.initialReason !== ''
          ? { initial_value: input.initialReason.slice(0, 3_000) }
          : {}),
        placeholder: { type: 'plain_text', text: 'What changed, so approvers know why' },
      },
    },
  );
  if (input.offerBreakGlass === true) blocks.push(breakGlassBlock());
  const view: ModalView & { blocks: KnownBlock[] } = {
    type: 'modal',
    callback_id: REQUEST_MODAL.callbackId,
    title: { type: 'plain_text', text: 'Invalidate cache' },
    submit: { type: 'plain_text', text: 'Request' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
  if (input.privateMetadata !== undefined) view.private_metadata = input.privateMetadata;
  return view;
}

/** Break-glass: submit at once without approval; a reason is then required, and approvers review it. */
function breakGlassBlock(): KnownBlock {
  return {
    type: 'input',
    block_id: REQUEST_MODAL.breakGlass,
    optional: true,
    label: { type: 'plain_text', text: 'Break-glass' },
    element: {
      type: 'checkboxes',
      action_id: REQUEST_MODAL.breakGlass,
      options: [
        {
          text: { type: 'plain_text', text: 'Skip approval: submit now (incident)' },
          description: {
            type: 'plain_text',
            text: 'Needs a reason. Approvers are told and review it afterwards.',
          },
          value: REQUEST_MODAL.breakGlass,
        },
      ],
    },
  };
}

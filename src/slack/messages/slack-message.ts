import type { KnownBlock } from '@slack/types';

/** A message as `chat.postMessage` takes it: `text` is the notification fallback when `blocks` are given. */
export interface SlackMessage {
  text: string;
  blocks?: KnownBlock[];
}

/** Block Kit's documented limits; Slack rejects the whole message when one is exceeded. */
export const BLOCK_KIT_LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3_000,
  sectionFieldText: 2_000,
  sectionFields: 10,
  headerText: 150,
  contextElements: 10,
  buttonText: 75,
  optionText: 75,
  optionDescription: 75,
  options: 100,
  modalTitle: 24,
  privateMetadata: 3_000,
} as const;

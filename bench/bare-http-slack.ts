import { App, HTTPReceiver } from '@slack/bolt';
import serverless from 'serverless-http';

/**
 * A second, lighter baseline, for scale only (the target is against bench/bare-slack.ts): the
 * least a Bolt app on Lambda can be without express, on Bolt's own HTTPReceiver, whose request
 * listener serverless-http wraps as it wraps ours. Built like dist/slack.js, express shim included.
 */
const receiver = new HTTPReceiver({
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
  processBeforeResponse: true,
});

const botToken = process.env.SLACK_BOT_TOKEN ?? '';
const app = new App({
  receiver,
  authorize: async () => ({ botToken }),
});

app.command('/invalidate', async ({ ack }) => {
  await ack();
});

export const handler = serverless(receiver.requestListener);

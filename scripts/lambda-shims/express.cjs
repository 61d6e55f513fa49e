// Lambda bundles only. Bolt's index loads its ExpressReceiver, and with it express and all its
// dependencies (router, body-parser, send, qs, mime-types with the whole of mime-db): about a
// third of the Slack bundle, parsed by every cold start. The bot answers Slack through
// src/slack/answer-first-receiver.ts, a plain request listener that never calls express, so
// express is never called in Lambda; ExpressReceiver only calls it when it is built.
// `npm run dev` runs from source and keeps the real package.
'use strict';

function unavailable(name) {
  return () => {
    throw new Error(
      `express (${name}) is not in the Lambda bundle: the bot answers Slack through AnswerFirstReceiver, not ExpressReceiver.`,
    );
  };
}

module.exports = Object.assign(unavailable('express()'), { Router: unavailable('express.Router()') });

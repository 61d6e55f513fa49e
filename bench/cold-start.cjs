'use strict';
// One cold start, in a fresh `node` process: from just before `require(bundle)` to the
// response of the first `handler` call. The signed event arrives ready-made in
// BENCH_EVENT, so nothing the bundle might share (crypto, JSON of a big payload) is
// warmed up before the clock starts. Prints one JSON line.
//
//   BENCH_EVENT='{…}' BENCH_CHALLENGE=… node bench/cold-start.cjs path/to/bundle.js

const bundlePath = process.argv[2];
const event = JSON.parse(process.env.BENCH_EVENT || 'null');
const challenge = process.env.BENCH_CHALLENGE || '';
if (!bundlePath || event === null) {
  process.stderr.write('usage: BENCH_EVENT=<json> node bench/cold-start.cjs <bundle.js>\n');
  process.exit(2);
}

const started = process.hrtime.bigint();
const bundle = require(bundlePath);
const loaded = process.hrtime.bigint();

const ms = (from, to) => Number(to - from) / 1e6;

Promise.resolve(bundle.handler(event, {})).then(
  (response) => {
    const answered = process.hrtime.bigint();
    const body = response && typeof response.body === 'string' ? response.body : '';
    process.stdout.write(
      `${JSON.stringify({
        requireMs: ms(started, loaded),
        firstInvokeMs: ms(loaded, answered),
        totalMs: ms(started, answered),
        statusCode: response ? response.statusCode : 0,
        answeredChallenge: challenge !== '' && body.includes(challenge),
        bodyLength: body.length,
      })}\n`,
    );
    // Anything the bundle left open (agents, timers) must not stretch the run.
    process.exit(0);
  },
  (error) => {
    process.stderr.write(`first invocation failed: ${error?.stack ?? String(error)}\n`);
    process.exit(1);
  },
);

'use strict';
// Warm requests in a process that holds only the bundle, as a Lambda container does (no tsx,
// no test helpers, no second copy of the SDK): the parent (bench/warm.ts) sends the signed
// events, this process times each handler call and sends back wall and own CPU per request.
//
//   fork('bench/warm-child.cjs', [bundle], { execArgv: <the deployed NODE_OPTIONS flags> })

const handler = require(process.argv[2]).handler;
const settle = () => new Promise((resolve) => setImmediate(resolve));

process.on('message', async (message) => {
  if (message.exit) process.exit(0);
  const wallMs = [];
  const ownMs = [];
  const statuses = [];
  for (const event of message.events) {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const response = await handler(event, {});
    const elapsed = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    wallMs.push(elapsed);
    ownMs.push((cpu.user + cpu.system) / 1000);
    statuses.push(response?.statusCode);
    // As in bench/warm.ts: what a request left behind settles outside the measurement.
    await settle();
  }
  process.send({ wallMs, ownMs, statuses });
});
process.send({ ready: true });

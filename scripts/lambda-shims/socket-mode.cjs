// Lambda bundles only. Bolt's App module loads its Socket Mode receiver, which
// pulls in a WebSocket client and undici (about 0.5 MB minified) that an HTTP
// Lambda never uses. `npm run dev` runs from source and keeps the real package.
'use strict';

class SocketModeClient {
  constructor() {
    throw new Error('Socket Mode is not available in the Lambda bundle; run `npm run dev` for Socket Mode.');
  }
}

module.exports = {
  SocketModeClient,
  LogLevel: { DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' },
};

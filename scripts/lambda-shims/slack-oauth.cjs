// Lambda bundles only. Bolt loads @slack/oauth for its OAuth install flow, and with it
// jsonwebtoken and semver, whose load-time work (semver compiles its range regexes,
// jsonwebtoken checks the Node version with them) costs each cold start about 10 ms. This bot
// runs in one workspace with a bot token and never installs through OAuth: Bolt builds an
// InstallProvider only when given clientId/clientSecret, which src/slack/create-app.ts never
// passes. `npm run dev` runs from source and keeps the real package.
'use strict';

function unavailable(name) {
  return class {
    constructor() {
      throw new Error(
        `${name} (Slack OAuth installs) is not available in the Lambda bundle: this bot uses one bot token.`,
      );
    }
  };
}

module.exports = {
  InstallProvider: unavailable('InstallProvider'),
  FileInstallationStore: unavailable('FileInstallationStore'),
  MemoryInstallationStore: unavailable('MemoryInstallationStore'),
};

import { parseEnvironment } from '../config/environment';
import { onFirstUse } from '../shared/on-first-use';
import { credentialsFromEnvironment, readSecureStrings, type SsmReadOptions } from './ssm-parameters';

/**
 * The Slack secrets of a Lambda container (README, "Secrets"). In Lambda the environment holds
 * only the names of two SSM SecureString parameters; their values are read once per container,
 * in one GetParameters call, and given to the handler as if they had been in the environment.
 * A read that fails is not cached: the invocation answers 503 (Slack retries) and the next one
 * reads again, so a brief SSM or KMS outage never leaves the container broken.
 */

type Source = Readonly<Record<string, string | undefined>>;

export type SecretsRole = 'slack' | 'poller';

export interface ContainerSecrets {
  /** The environment with the secret values filled in; rejects when they could not be read. */
  source(): Promise<Source>;
  /**
   * Resolves once the read's request is on the wire (or there is nothing to read, or the read
   * ended): CPU work done after it overlaps SSM's answer instead of delaying the request.
   */
  sent(): Promise<void>;
}

/** How long a read may take before the invocation gives up on it. */
const READ_DEADLINE_MS = 2_000;

export type SecureStringReader = (
  names: readonly string[],
  options: SsmReadOptions,
) => Promise<Map<string, string>>;

const loadSsm: () => Promise<SecureStringReader> = async () => readSecureStrings;

/**
 * Starts the read at once (when the environment names parameters), so it runs while the rest of
 * the cold start does; nothing is read when the values themselves are given (dev, tests).
 */
export function containerSecrets(
  source: Source,
  role: SecretsRole,
  load: () => Promise<SecureStringReader> = loadSsm,
): ContainerSecrets {
  const named = [source.SLACK_SIGNING_SECRET_PARAM, source.SLACK_BOT_TOKEN_PARAM].some(
    (v) => v !== undefined && v.trim() !== '',
  );
  if (!named) return { source: async () => source, sent: async () => {} };

  let markSent: () => void = () => {};
  const sent = new Promise<void>((resolve) => {
    markSent = resolve;
  });

  const read = onFirstUse(async (): Promise<Source> => {
    const env = parseEnvironment(source, role);
    const wanted: [variable: string, parameter: string][] = [];
    if (env.signingSecretParam && role === 'slack')
      wanted.push(['SLACK_SIGNING_SECRET', env.signingSecretParam]);
    if (env.botTokenParam) wanted.push(['SLACK_BOT_TOKEN', env.botTokenParam]);
    if (wanted.length === 0) return source;
    const reader = await load();
    const values = await reader(
      wanted.map(([, parameter]) => parameter),
      {
        ...(env.ssmEndpoint ? { endpoint: env.ssmEndpoint } : {}),
        ...(source.AWS_REGION ? { region: source.AWS_REGION } : {}),
        // Lambda gives the function its role's credentials in the environment.
        credentials: credentialsFromEnvironment(source),
        signal: AbortSignal.timeout(READ_DEADLINE_MS),
        onSent: markSent,
      },
    );
    const filled: Record<string, string | undefined> = { ...source };
    for (const [variable, parameter] of wanted) filled[variable] = values.get(parameter);
    return filled;
  });
  // Started now, so the network round trip overlaps the rest of the start; a failure is
  // reported to the invocation that awaits it, not as an unhandled rejection.
  read()
    .catch(() => undefined)
    .finally(markSent);
  return { source: read, sent: () => sent };
}

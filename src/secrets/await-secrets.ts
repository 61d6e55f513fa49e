import type { Logger } from '../app/deps';
import { jsonLogger } from '../observability/json-logger';
import type { ContainerSecrets, SecretsRole } from './container-secrets';

type Source = Readonly<Record<string, string | undefined>>;

export type SecretsOutcome = { ok: true; source: Source } | { ok: false; error: unknown };

/** The secrets, or the logged reason they are not there (the handler then answers without them). */
export async function awaitSecrets(
  secrets: ContainerSecrets,
  role: SecretsRole,
  log: Logger = jsonLogger({ role }),
): Promise<SecretsOutcome> {
  try {
    return { ok: true, source: await secrets.source() };
  } catch (error) {
    log.error('Slack secrets could not be read from SSM', {
      error,
      // What to check, so the alarm's reader does not have to guess.
      hint: 'ssm:GetParameters and kms:Decrypt on the two parameters, and that both exist as SecureString',
    });
    return { ok: false, error };
  }
}

/**
 * What Slack gets when the signing secret is unknown: 503, so Slack retries the request later
 * instead of showing a 401 the person can do nothing about.
 */
export const SECRETS_UNAVAILABLE = {
  statusCode: 503,
  headers: { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '1' },
  body: 'The bot cannot read its Slack secrets right now; Slack will retry.',
};

import type { WebClient } from '@slack/web-api';
import * as z from '../../shared/zod';

/**
 * The modal's `paths_file`: a plain-text list uploaded to Slack, read with the
 * bot's token (scope `files:read`): `files.info` names the private download
 * URL, which Slack serves only with the token in the Authorization header.
 *
 * This runs before the modal is answered, because the list must be checked
 * before anything is stored and its errors shown on the form; so it has a
 * hard deadline well inside Slack's 3 seconds (README "Kinds of item").
 */

export const PATHS_FILE_LIMITS = {
  /** 100,000 items of ~80 characters, with room to spare. */
  maxBytes: 10 * 1024 * 1024,
  /** files.info and the download together. */
  deadlineMs: 2_000,
} as const;

export type PathsFile = { ok: true; name: string; text: string } | { ok: false; message: string };

const fileInfo = z.object({
  file: z.object({
    name: z._default(z.string(), 'the file'),
    size: z.int().check(z.nonnegative()),
    mimetype: z._default(z.string(), ''),
    filetype: z._default(z.string(), ''),
    url_private_download: z.url(),
  }),
});

const TEXT_TYPES = new Set(['text', 'txt', 'csv', 'plain']);

export async function readPathsFile(
  client: WebClient,
  fileId: string,
  deadlineMs: number = PATHS_FILE_LIMITS.deadlineMs,
): Promise<PathsFile> {
  const signal = AbortSignal.timeout(deadlineMs);
  const slow = `I could not read the file within ${deadlineMs / 1000} s. Please submit again.`;
  let info: z.infer<typeof fileInfo>['file'];
  try {
    const answer = await Promise.race([client.files.info({ file: fileId }), aborted(signal)]);
    const parsed = fileInfo.safeParse(answer);
    if (!parsed.success)
      return { ok: false, message: 'Slack did not describe the file; please upload it again.' };
    info = parsed.data.file;
  } catch (error) {
    if (signal.aborted) return { ok: false, message: slow };
    const code = (error as { data?: { error?: unknown } }).data?.error;
    return {
      ok: false,
      message:
        code === 'missing_scope'
          ? 'I may not read files here (the app lacks the files:read scope); paste the paths instead.'
          : `Slack would not give me the file (${typeof code === 'string' ? code : 'error'}); please upload it again.`,
    };
  }
  if (!TEXT_TYPES.has(info.filetype) && !info.mimetype.startsWith('text/')) {
    return {
      ok: false,
      message: `${info.name} is not a plain-text file (${info.filetype || info.mimetype}).`,
    };
  }
  if (info.size > PATHS_FILE_LIMITS.maxBytes) {
    return {
      ok: false,
      message: `${info.name} is ${megabytes(info.size)} MB; the limit is ${megabytes(PATHS_FILE_LIMITS.maxBytes)} MB.`,
    };
  }
  try {
    const response = await fetch(info.url_private_download, {
      headers: { Authorization: `Bearer ${client.token ?? ''}` },
      // Without a valid token Slack redirects to its sign-in page: an error, not the file.
      redirect: 'manual',
      signal,
    });
    if (response.status !== 200 || (response.headers.get('content-type') ?? '').startsWith('text/html')) {
      return {
        ok: false,
        message: `Slack would not let me download ${info.name} (HTTP ${response.status}).`,
      };
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.length > PATHS_FILE_LIMITS.maxBytes) {
      return {
        ok: false,
        message: `${info.name} is larger than ${megabytes(PATHS_FILE_LIMITS.maxBytes)} MB.`,
      };
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    } catch {
      return { ok: false, message: `${info.name} is not UTF-8 text.` };
    }
    if (text.includes('\u0000')) return { ok: false, message: `${info.name} is not a text file.` };
    return { ok: true, name: info.name, text };
  } catch {
    if (signal.aborted) return { ok: false, message: slow };
    return { ok: false, message: `I could not download ${info.name}; please submit again.` };
  }
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '');
}

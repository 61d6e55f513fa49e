import { describe, expect, it } from 'vitest';
import { withDeadline } from '../../src/app/call-deadline';
import type { GatewayResult } from '../../src/app/ports';

describe('withDeadline', () => {
  it('a call that ignores its abort signal still ends at the deadline, as a transient Timeout', async () => {
    let seen: AbortSignal | undefined;
    const result = await withDeadline('GetInvalidation', 200, (signal) => {
      seen = signal;
      return new Promise<GatewayResult<string>>(() => {});
    });
    expect(result).toEqual({
      ok: false,
      error: {
        kind: 'transient',
        code: 'Timeout',
        message: 'CloudFront did not answer GetInvalidation within 0.2 s. The bot will retry automatically.',
      },
    });
    expect(seen?.aborted).toBe(true);
  });

  it('a call that answers in time: its own result, and the signal is left alone', async () => {
    let seen: AbortSignal | undefined;
    const result = await withDeadline('CreateInvalidation', 5_000, async (signal) => {
      seen = signal;
      return { ok: true, value: 'I1' } as const;
    });
    expect(result).toEqual({ ok: true, value: 'I1' });
    expect(seen?.aborted).toBe(false);
  });
});

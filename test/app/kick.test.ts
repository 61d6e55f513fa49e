import { describe, expect, it } from 'vitest';
import { kickEvent } from '../../src/app/kick';

/** The kick is the worker's one untrusted input: what it accepts of a request kick. */
describe('a request kick', () => {
  const id = '01JNB2Z8Q7R4K3M5T6V7W8X9YZ';

  it('carries the request, the notices it holds and the key it was created under', () => {
    expect(
      kickEvent.parse({ kick: 'request', requestId: id, held: ['card@1'], createdUnder: 'command:1.2.abc' }),
    ).toEqual({ kick: 'request', requestId: id, held: ['card@1'], createdUnder: 'command:1.2.abc' });
    // An approval's kick names no creation.
    expect(kickEvent.parse({ kick: 'request', requestId: id })).toEqual({ kick: 'request', requestId: id });
  });

  it.each([
    ['an empty key', ''],
    ['a key longer than any Slack id makes', `view:${'V'.repeat(300)}`],
    ['a key that is not text', 42],
  ])('refuses %s', (_what, createdUnder) => {
    const parsed = kickEvent.safeParse({ kick: 'request', requestId: id, createdUnder });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['createdUnder']);
  });
});

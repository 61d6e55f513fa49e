import { describe, expect, it } from 'vitest';
import { invocationFields, withInvocationLog } from '../../src/observability/invocation-context';
import { jsonLogger } from '../../src/observability/json-logger';

describe('jsonLogger', () => {
  it('writes an error whole: name, message, stack, code and its causes, recursively', () => {
    const lines: string[] = [];
    const log = jsonLogger(
      { role: 'poller' },
      (l) => lines.push(l),
      () => ({}),
    );
    const root = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const middle = new Error('DynamoDB Query failed', { cause: root });
    log.error('poll failed', { error: new TypeError('outer', { cause: middle }), requestId: 'R1' });

    const line = JSON.parse(lines[0] ?? '{}');
    expect(line).toMatchObject({
      level: 'error',
      message: 'poll failed',
      role: 'poller',
      requestId: 'R1',
      error: {
        name: 'TypeError',
        message: 'outer',
        cause: {
          name: 'Error',
          message: 'DynamoDB Query failed',
          cause: { message: 'socket hang up', code: 'ECONNRESET' },
        },
      },
    });
    expect(line.error.stack).toContain('json-logger.test.ts');
    expect(line.error.cause.cause.stack).toContain('socket hang up');
  });

  it('stops at a cause chain that loops', () => {
    const lines: string[] = [];
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    Object.assign(a, { cause: b });
    jsonLogger(
      {},
      (l) => lines.push(l),
      () => ({}),
    ).warn('loop', { error: a });
    expect(JSON.parse(lines[0] ?? '{}').error.message).toBe('a');
  });

  it('carries the fields of the invocation it runs in', async () => {
    const lines: string[] = [];
    const log = jsonLogger({}, (l) => lines.push(l));
    const handler = withInvocationLog(async (_event: unknown, _context: unknown) => {
      await new Promise((resolve) => setImmediate(resolve));
      log.info('inside');
    });
    await handler(
      { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } },
      { awsRequestId: 'abc-123' },
    );
    log.info('outside');
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({
        message: 'inside',
        awsRequestId: 'abc-123',
        slackRetryNum: 1,
        slackRetryReason: 'http_timeout',
      }),
      expect.not.objectContaining({ awsRequestId: expect.anything() }),
    ]);
  });

  it('takes nothing from an event or context of another shape', () => {
    expect(invocationFields({ headers: { 'x-slack-retry-num': 'many' } }, { awsRequestId: 42 })).toEqual({});
    expect(invocationFields(undefined, undefined)).toEqual({});
  });
});

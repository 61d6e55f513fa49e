import type { Refusal, Transition } from '../domain/lifecycle';
import type { Change } from './ports';

/** A lifecycle transition as a store change: write it, or stop with the refusal. */
export function asChange(t: Transition): Change<Refusal | null> {
  return t.ok
    ? { kind: 'write', next: t.request, events: t.events, result: null }
    : { kind: 'stop', result: t.refusal };
}

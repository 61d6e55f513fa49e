/**
 * When a submitted invalidation is checked. CloudFront reports most
 * invalidations Completed within about 25 s, so the first check comes 2 s
 * after submission and each pause is half a second longer than the one before,
 * up to a cap (POLL_INTERVAL_MS): checks at 2 s, 4.5 s, 7.5 s, 11 s, 15 s,
 * 19.5 s, 24.5 s, 30 s … after submission. Early on a completion is seen within
 * a few seconds; an invalidation that takes minutes costs a check per cap.
 *
 * The timetable is anchored to the submission time, not to the previous check,
 * so every run and every kick that follows a request agrees on its slots: the
 * slot is what a check claims (`claimCheck`), and of several runs waking for
 * the same slot only one asks CloudFront (docs/architecture.md, "Check lease").
 */

export interface CheckSchedule {
  /** The longest pause between two checks (POLL_INTERVAL_MS). */
  maxIntervalMs: number;
}

/** Pause from submission to the first check. */
export const FIRST_CHECK_MS = 2_000;

/** How much longer each pause is than the one before. */
export const CHECK_STEP_MS = 500;

/**
 * The closest a late check lets the next one come: a run that wakes late (a
 * busy Lambda, a slow call) keeps to the timetable, skipping only a slot that is
 * about to come due. Never more than half a pause, for short caps.
 */
export const MIN_CHECK_GAP_MS = 500;

/** The pause before the `n`th check (1-based), counted from the check before it (or the submission). */
export function checkIntervalMs(n: number, schedule: CheckSchedule): number {
  const cap = Math.max(1, schedule.maxIntervalMs);
  return Math.min(FIRST_CHECK_MS + (Math.max(1, n) - 1) * CHECK_STEP_MS, cap);
}

/** The first `count` check times, as offsets from the submission. */
export function checkOffsetsMs(count: number, schedule: CheckSchedule): number[] {
  const offsets: number[] = [];
  let at = 0;
  for (let n = 1; n <= count; n++) {
    at += checkIntervalMs(n, schedule);
    offsets.push(at);
  }
  return offsets;
}

/** When the first check of an invalidation submitted at `submittedAt` is due. */
export function firstCheckAt(submittedAt: Date, schedule: CheckSchedule): Date {
  return new Date(submittedAt.getTime() + checkIntervalMs(1, schedule));
}

/**
 * The slot a check made at `now` books for the next one: the first slot of the
 * timetable at least MIN_CHECK_GAP_MS (or half its pause, if shorter) after
 * `now`. A check on time books the very next slot; a late one keeps to the
 * timetable too, and skips only a slot it would crowd into.
 */
export function nextCheckAt(submittedAt: Date, now: Date, schedule: CheckSchedule): Date {
  const start = submittedAt.getTime();
  const elapsed = now.getTime() - start;
  let offset = 0;
  for (let n = 1; ; n++) {
    const pause = checkIntervalMs(n, schedule);
    offset += pause;
    const gap = Math.min(MIN_CHECK_GAP_MS, pause / 2);
    if (offset - elapsed >= gap) return new Date(start + offset);
    if (pause >= schedule.maxIntervalMs) {
      // From here on every pause is the cap: jump straight to the slot instead of walking there.
      const steps = Math.max(0, Math.ceil((elapsed + gap - offset) / pause));
      return new Date(start + offset + steps * pause);
    }
  }
}

import { emfMetrics, type Metrics } from './metrics';

/**
 * ScheduledPollerRuns, one per scheduled poller run that ended well: serverless.yml alarms when
 * there is none for 5 minutes (the schedule stopped, or every run fails). Kicks do not count: a
 * busy bot's kicks must not hide a dead schedule.
 */
export function recordScheduledRun(
  event: unknown,
  metrics: Metrics = emfMetrics(process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'local-poller'),
): void {
  const e = event as { source?: unknown; 'detail-type'?: unknown } | undefined;
  if (e?.source !== 'aws.events' || e['detail-type'] !== 'Scheduled Event') return;
  metrics.record([{ name: 'ScheduledPollerRuns', value: 1, unit: 'Count' }]);
}

/**
 * CloudWatch metrics as Embedded Metric Format log lines: CloudWatch Logs turns each line into
 * metric data points, so recording a metric costs no API call and no wait (README, "Logs and
 * metrics"). Namespace and dimension are what serverless.yml's alarms read.
 */

export const METRICS_NAMESPACE = 'CloudFrontInvalidationBot';

export type MetricName =
  | 'RequestsCreated'
  | 'RequestsApproved'
  | 'RequestsRejected'
  | 'RequestsExpired'
  | 'RequestsSubmitted'
  | 'RequestsCompleted'
  | 'RequestsFailed'
  | 'BreakGlassRequests'
  | 'NoticesDropped'
  | 'TimeToCompletion'
  | 'ScheduledPollerRuns';

export interface MetricPoint {
  name: MetricName;
  value: number;
  unit: 'Count' | 'Milliseconds';
}

export interface Metrics {
  record(points: readonly MetricPoint[], fields?: Record<string, string>): void;
}

export function emfMetrics(
  /** The Lambda function's name (AWS_LAMBDA_FUNCTION_NAME): one stage's metrics apart from another's. */
  functionName: string,
  write: (line: string) => void = console.log,
  now: () => number = Date.now,
): Metrics {
  return {
    record(points, fields = {}) {
      if (points.length === 0) return;
      const values: Record<string, number> = {};
      for (const p of points) values[p.name] = (values[p.name] ?? 0) + p.value;
      const units = new Map(points.map((p) => [p.name, p.unit]));
      write(
        JSON.stringify({
          _aws: {
            Timestamp: now(),
            CloudWatchMetrics: [
              {
                Namespace: METRICS_NAMESPACE,
                Dimensions: [['FunctionName']],
                Metrics: [...units].map(([Name, Unit]) => ({ Name, Unit })),
              },
            ],
          },
          FunctionName: functionName,
          // Searchable in Logs Insights, not dimensions: a dimension per request would be a metric per request.
          ...fields,
          ...values,
        }),
      );
    },
  };
}

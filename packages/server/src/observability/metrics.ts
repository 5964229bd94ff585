/** Seconds; spans a cached answer (~1 ms) to a slow model call (~10 s). */
export const LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

/**
 * Request metrics in Prometheus text format. Labels use the route template
 * (`/v1/chat/completions`, `/items/:id`), never the raw URL, so a scan of
 * random paths cannot blow up the series count.
 */
export class HttpMetrics {
  private readonly requests = new Map<string, number>();
  private readonly latency = new Map<string, Histogram>();
  private inFlight = 0;

  start(): void {
    this.inFlight++;
  }

  finish(method: string, route: string, status: number, seconds: number): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    const reqKey = labels({ method, route, status: String(status) });
    this.requests.set(reqKey, (this.requests.get(reqKey) ?? 0) + 1);
    const latKey = labels({ method, route });
    let h = this.latency.get(latKey);
    if (!h) {
      h = { counts: LATENCY_BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.latency.set(latKey, h);
    }
    for (let i = 0; i < LATENCY_BUCKETS.length; i++) if (seconds <= (LATENCY_BUCKETS[i] as number)) h.counts[i] = (h.counts[i] ?? 0) + 1;
    h.sum += seconds;
    h.count++;
  }

  render(): string {
    const out: string[] = [
      '# HELP ferry_http_requests_total HTTP requests answered, by method, route template and status.',
      '# TYPE ferry_http_requests_total counter',
    ];
    for (const [key, n] of this.requests) out.push(`ferry_http_requests_total{${key}} ${n}`);
    out.push(
      '# HELP ferry_http_request_duration_seconds Time from request start to the last byte sent.',
      '# TYPE ferry_http_request_duration_seconds histogram',
    );
    for (const [key, h] of this.latency) {
      LATENCY_BUCKETS.forEach((le, i) => out.push(`ferry_http_request_duration_seconds_bucket{${key},le="${le}"} ${h.counts[i]}`));
      out.push(`ferry_http_request_duration_seconds_bucket{${key},le="+Inf"} ${h.count}`);
      out.push(`ferry_http_request_duration_seconds_sum{${key}} ${h.sum}`);
      out.push(`ferry_http_request_duration_seconds_count{${key}} ${h.count}`);
    }
    out.push(
      '# HELP ferry_http_requests_in_flight Requests being processed now.',
      '# TYPE ferry_http_requests_in_flight gauge',
      `ferry_http_requests_in_flight ${this.inFlight}`,
    );
    return `${out.join('\n')}\n`;
  }
}

function labels(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',');
}

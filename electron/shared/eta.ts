/**
 * Estimates time left from observed progress. Uses the average rate since the
 * job started, blended with a recent window so a slow first tile (model load)
 * does not dominate the estimate for the whole run.
 */
export class EtaEstimator {
  private readonly start: number;
  private samples: Array<{ t: number; f: number }> = [];

  constructor(now: number = Date.now(), private readonly windowMs = 10_000) {
    this.start = now;
  }

  /** Records completion `fraction` (0..1) at time `now` and returns seconds left or null. */
  update(fraction: number, now: number = Date.now()): number | null {
    const f = Math.min(1, Math.max(0, fraction));
    this.samples.push({ t: now, f });
    while (this.samples.length > 2 && now - this.samples[0]!.t > this.windowMs) this.samples.shift();
    if (f >= 1) return 0;
    const elapsed = now - this.start;
    if (f <= 0 || elapsed < 200) return null;
    const overallRate = f / elapsed;
    const first = this.samples[0]!;
    const recentRate = now > first.t && f > first.f ? (f - first.f) / (now - first.t) : overallRate;
    const rate = 0.5 * overallRate + 0.5 * recentRate;
    if (!(rate > 0)) return null;
    return Math.max(0, (1 - f) / rate / 1000);
  }

  elapsedSeconds(now: number = Date.now()): number {
    return Math.max(0, (now - this.start) / 1000);
  }
}

/** "1 min 05 s", "12 s", "2 h 03 min" */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

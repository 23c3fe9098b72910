/** A one-line terminal progress bar with ETA, drawn on stderr so stdout stays clean for --json. */
import { formatDuration } from '../shared/eta.js';
import type { JobProgress } from '../shared/jobs.js';

export function progressPrinter(label: string, enabled = process.stderr.isTTY === true): { update(p: JobProgress): void; done(): void } {
  let last = '';
  return {
    update(p) {
      if (!enabled) return;
      const width = 24;
      const filled = Math.round(p.fraction * width);
      const line = `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.round(p.fraction * 100)}% ${p.message ?? p.stage}${p.etaSeconds != null ? ` · ${formatDuration(p.etaSeconds)} left` : ''}`;
      if (line !== last) process.stderr.write(`\r${line.slice(0, (process.stderr.columns ?? 100) - 1).padEnd(last.length)}`);
      last = line;
    },
    done() {
      if (enabled && last) process.stderr.write('\n');
      last = '';
    },
  };
}

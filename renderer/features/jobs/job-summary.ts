/**
 * What a finished job made, in a line the Jobs panel shows under it: the
 * version a restoration made, the files an export wrote and where, a batch's
 * count. Pure, so it is tested without a browser.
 */
import type { JobInfo } from '../../../electron/shared/jobs.js';

type Summary = { text: string; photoIds: number[] };

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function folderOf(file: string): string {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return i > 0 ? file.slice(0, i) : file;
}

export function summarizeResult(job: Pick<JobInfo, 'method' | 'state' | 'result'>): Summary | null {
  if (job.state !== 'done' || job.result === undefined || job.result === null) return null;
  const r = job.result as Record<string, unknown>;
  switch (job.method) {
    case 'restore.photo':
      return { text: `New version ${String(r.versionId)} of photo ${String(r.photoId)}`, photoIds: [Number(r.photoId)] };
    case 'restore.batch':
    case 'restore.folder': {
      const items = (r.items as Array<{ state: string; photoId?: number; output?: string }>) ?? [];
      const done = items.filter((i) => i.state === 'done');
      const failed = items.length - done.length;
      const where = job.method === 'restore.folder' && done[0]?.output ? ` in ${folderOf(done[0].output)}` : '';
      return {
        text: `${plural(done.length, 'photo')} restored${where}${failed ? `, ${failed} not` : ''}`,
        photoIds: done.flatMap((i) => (i.photoId !== undefined ? [i.photoId] : [])),
      };
    }
    case 'library.export': {
      const written = (r.written as Array<{ path: string }>) ?? [];
      const skipped = (r.skipped as unknown[]) ?? [];
      return { text: `${plural(written.length, 'file')} written${written[0] ? ` to ${folderOf(written[0].path)}` : ''}${skipped.length ? `, ${skipped.length} skipped` : ''}`, photoIds: [] };
    }
    case 'library.import':
    case 'library.resumeImport':
      return {
        text: `${String(r.imported ?? 0)} imported, ${String(r.duplicates ?? 0)} already in the library${Number(r.skippedCount ?? 0) ? `, ${String(r.skippedCount)} skipped` : ''}`,
        photoIds: ((r.photoIds as number[]) ?? []).slice(0, 1000),
      };
    case 'people.find': {
      const people = (r.clustered as { people?: number } | undefined)?.people ?? 0;
      return { text: `${plural(Number(r.photos ?? 0), 'photo')} looked at, ${plural(Number(r.faces ?? 0), 'face')}; ${plural(people, 'person', 'people')} in the library${Number(r.failed ?? 0) ? `, ${String(r.failed)} unreadable` : ''}`, photoIds: [] };
    }
    case 'library.checkFiles':
      return { text: `${String(r.missing ?? 0)} missing`, photoIds: [] };
    default:
      return null;
  }
}

/** "14:02:31" today, "3 Dec 14:02" otherwise. */
export function startedAt(ms: number, now = Date.now()): string {
  const d = new Date(ms);
  const sameDay = new Date(now).toDateString() === d.toDateString();
  return sameDay ? d.toLocaleTimeString('en-GB') : d.toLocaleString('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

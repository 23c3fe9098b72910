/**
 * people.find: the background job that finds the people in the library.
 * Photo by photo (those the library says still need it: never analysed, or
 * analysed before descriptors were kept), the engine finds the faces with
 * their identity descriptors (engine.faces, a child job, so a cancel reaches
 * it) and the library stores them; every CLUSTER_EVERY photos and at the end
 * the new faces are grouped into people. A cancel keeps what was stored (and
 * groups it); the next run skips those photos, so it resumes where it stopped.
 * A photo that cannot be read is reported and skipped for this run.
 */
import type { Params, ParsedParams, Result } from '../shared/contract/index.js';
import type { JobProgress } from '../shared/jobs.js';
import { EtaEstimator } from '../shared/eta.js';
import { toWireError } from '../shared/errors.js';
import type { JobRunContext } from './job-manager.js';

const CLUSTER_EVERY = 25;
const PAGE = 200;

export interface FindPeopleDeps {
  invoke(m: 'people.pending', p: Params<'people.pending'>): Promise<Result<'people.pending'>>;
  invoke(m: 'library.photoSource', p: Params<'library.photoSource'>): Promise<Result<'library.photoSource'>>;
  invoke(m: 'library.storeFaces', p: Params<'library.storeFaces'>): Promise<Result<'library.storeFaces'>>;
  invoke(m: 'people.cluster', p: Params<'people.cluster'>): Promise<Result<'people.cluster'>>;
  runChild(m: 'engine.faces', p: Params<'engine.faces'>, onProgress: (p: JobProgress) => void): Promise<Result<'engine.faces'>>;
}

export async function findPeople(p: ParsedParams<'people.find'>, ctx: JobRunContext, deps: FindPeopleDeps): Promise<Result<'people.find'>> {
  const eta = new EtaEstimator();
  const only = p.photoIds ? { photoIds: p.photoIds } : {};
  const first = await deps.invoke('people.pending', { ...only, afterId: 0, limit: PAGE });
  const total = first.remaining;
  let page = first.photoIds;
  let done = 0, faces = 0, failed = 0, sinceClustered = 0;
  const errors: Array<{ photoId: number; message: string }> = [];
  const report = (stage: string, message: string) => {
    const fraction = total ? Math.min(1, done / total) : 1;
    ctx.progress({
      stage,
      fraction,
      etaSeconds: eta.update(fraction),
      elapsedSeconds: eta.elapsedSeconds(),
      message,
      data: { done, total, faces, failed },
    });
  };
  let clustered: Result<'people.cluster'> = { assigned: 0, created: 0, people: 0 };
  const cluster = async () => {
    const r = await deps.invoke('people.cluster', {});
    clustered = { assigned: clustered.assigned + r.assigned, created: clustered.created + r.created, people: r.people };
    sinceClustered = 0;
  };
  report('faces', total ? `Looking for faces in ${total} photo(s)` : 'Every photo has been looked at');
  try {
    while (page.length) {
      for (const photoId of page) {
        await ctx.checkpoint();
        try {
          const source = await deps.invoke('library.photoSource', { photoId });
          const found = await deps.runChild('engine.faces', { input: source.path }, () => undefined);
          await deps.invoke('library.storeFaces', { photoId, faces: found.faces });
          faces += found.faces.length;
          sinceClustered += found.faces.length;
        } catch (err) {
          const wire = toWireError(err);
          if (wire.code === 'Cancelled' || ctx.signal.aborted) throw err;
          failed++;
          if (errors.length < 20) errors.push({ photoId, message: wire.message.slice(0, 500) });
        }
        done++;
        report('faces', `Photo ${done} of ${total}: ${faces} face(s) so far`);
        if (sinceClustered >= CLUSTER_EVERY) await cluster();
      }
      // Photos that failed stay pending: the next page starts after the last one looked at.
      page = (await deps.invoke('people.pending', { ...only, afterId: page.at(-1)!, limit: PAGE })).photoIds;
    }
  } finally {
    // What was stored is grouped even when the run is cancelled.
    if (sinceClustered > 0 || done === 0) await cluster().catch(() => undefined);
  }
  report('done', `${done} photo(s) looked at, ${faces} face(s), ${clustered.people} people`);
  return { photos: done, faces, failed, errors, clustered };
}

/**
 * The analysis of a photo is asked for again and again (the Restore panel
 * opens it each time the photo is chosen, `restora analyze` runs on the same
 * files); its answer depends only on the file's bytes and the models, so the
 * engine remembers the last few by content and model set.
 */
import type { Result } from '../shared/contract/index.js';
import { fileHash } from './faces/photo-faces.js';

type Analysis = Result<'engine.analyze'>;

export class AnalysisMemo {
  private readonly known = new Map<string, Analysis>();
  private readonly running = new Map<string, Promise<Analysis>>();

  constructor(private readonly keep = 32) {}

  /** `models`: what else the answer depends on (the installed models' hashes). */
  async get(file: string, models: string, analyse: () => Promise<Analysis>): Promise<Analysis> {
    const key = `${await fileHash(file)}:${models}`;
    const known = this.known.get(key);
    if (known) {
      this.known.delete(key);
      this.known.set(key, known);
      return known;
    }
    const pending = this.running.get(key);
    if (pending) return pending;
    const work = analyse();
    this.running.set(key, work);
    try {
      const a = await work;
      // An analysis that could not run its face search or models is not kept: the next one may.
      if (a.facesDetected && !a.notes.some((n) => /could not run|failed/i.test(n))) {
        this.known.set(key, a);
        while (this.known.size > this.keep) this.known.delete(this.known.keys().next().value!);
      }
      return a;
    } finally {
      this.running.delete(key);
    }
  }
}

/**
 * Which models a machine restores with, as one fingerprint: the sha256 of the
 * usable models' ids, versions and manifest sha256s that `engine.info`
 * reports. Submitter and worker must have the same fingerprint; results must
 * come from the same model versions, or a batch would mix restorations.
 */
import { createHash } from 'node:crypto';
import type { Result } from '../shared/contract/index.js';

export interface ModelSet {
  fingerprint: string;
  models: Array<{ id: string; version: string; sha256: string }>;
}

export function modelSet(info: Result<'engine.info'>): ModelSet {
  const models = info.models
    .filter((m) => m.ok)
    .map((m) => ({ id: m.id, version: m.version, sha256: m.sha256 }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const text = models.map((m) => `${m.id}@${m.version}#${m.sha256}`).join('\n');
  return { fingerprint: createHash('sha256').update(`restora-models\n${text}`).digest('hex'), models };
}

/** The differences in words, e.g. "restora-restorer 1.7.0 (8605e569…) here, 1.8.0 (1c2d…) there". */
export function describeDifference(mine: ModelSet['models'], theirs: ModelSet['models'], here = 'here', there = 'there'): string {
  const a = new Map(mine.map((m) => [m.id, m]));
  const b = new Map(theirs.map((m) => [m.id, m]));
  const show = (m: { version: string; sha256: string } | undefined) => (m ? `${m.version} (${m.sha256.slice(0, 8)}…)` : 'missing');
  const diffs: string[] = [];
  for (const id of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.get(id), y = b.get(id);
    if (x?.version === y?.version && x?.sha256 === y?.sha256) continue;
    diffs.push(`${id} ${show(x)} ${here}, ${show(y)} ${there}`);
  }
  return diffs.length ? diffs.join('; ') : 'the same models';
}

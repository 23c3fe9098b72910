/**
 * A restored photo beside its original: the version the last restore made, compared with a slider or
 * full size side by side, and the identity check of each restored face (same person: likely / unsure),
 * with one click to restore again keeping a face that drifted as it was.
 */
import { useEffect, useState } from 'react';
import { useApi } from '../../api/context.js';
import { CompareSlider } from '../photo/CompareSlider.js';
import { FullSizeViewer } from '../photo/FullSizeViewer.js';
import type { Restored } from './use-restore-jobs.js';
import { describeCheck, faceChecksOf, type FaceCheck } from './face-checks.js';

export function BeforeAfterPane({ restored, onKeepFace }: { restored: Restored; onKeepFace?(face: FaceCheck): void }) {
  const api = useApi();
  const [checks, setChecks] = useState<FaceCheck[]>([]);
  useEffect(() => {
    let alive = true;
    setChecks([]);
    api
      .call('library.getVersion', { versionId: restored.versionId })
      .then((v) => alive && setChecks(faceChecksOf(v.recipe)))
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [api, restored.versionId]);
  const [full, setFull] = useState(false);
  const side = (kind: 'photo' | 'version', id: number, label: string) => ({ preview: api.mediaUrl({ kind, id, size: 'preview' }), full: api.mediaUrl({ kind, id, size: 'full' }), label });
  return (
    <section className="card">
      <h2>Before / after</h2>
      <CompareSlider before={api.mediaUrl({ kind: 'photo', id: restored.photoId, size: 'preview' })} after={api.mediaUrl({ kind: 'version', id: restored.versionId, size: 'preview' })} />
      {checks.length > 0 && (
        <ul className="face-checks" data-testid="face-checks">
          {checks.map((c, i) => (
            <li key={i} className={c.samePerson === 'unsure' ? 'warn-text' : 'muted'}>
              {describeCheck(c, i)}
              {c.samePerson === 'unsure' && (
                <>
                  {' — it may not look like the same person. '}
                  {onKeepFace && (
                    <button type="button" onClick={() => onKeepFace(c)}>
                      Keep face {i + 1} as it was
                    </button>
                  )}
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      <button className="secondary small open-full" onClick={() => setFull(true)}>
        Open full size
      </button>
      {full && <FullSizeViewer title="Before / after" before={side('photo', restored.photoId, 'Original')} after={side('version', restored.versionId, 'Restored')} onClose={() => setFull(false)} />}
    </section>
  );
}

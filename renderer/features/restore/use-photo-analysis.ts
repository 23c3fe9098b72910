/**
 * What the engine finds in the photo the Restore panel opens with: damage
 * estimates, suggested instructions and faces (each face can be switched off),
 * and whether the generative refiner is installed.
 */
import { useEffect, useState } from 'react';
import { useApi } from '../../api/context.js';
import type { Analysis } from '../../../electron/shared/contract/engine.js';

export interface PhotoAnalysis {
  /** Null until the analysis arrives (and for no photo). */
  analysis: Analysis | null;
  hasRefiner: boolean;
  /** Per face of the analysis: whether it will be restored. */
  faceOn: boolean[];
  toggleFace(index: number): void;
}

export function usePhotoAnalysis(photoId: number | undefined, onError: (e: unknown) => void): PhotoAnalysis {
  const api = useApi();
  const [analysis, setAnalysis] = useState<Analysis | null>(null);
  const [hasRefiner, setHasRefiner] = useState(false);
  const [faceOn, setFaceOn] = useState<boolean[]>([]);

  useEffect(() => {
    setAnalysis(null);
    if (photoId === undefined) return;
    let alive = true;
    api.call('engine.info', {}).then((i) => alive && setHasRefiner(i.models.some((m) => m.ok && m.task === 'refiner'))).catch(() => undefined);
    api
      .call('restore.analyze', { photoId })
      .then((a) => {
        if (!alive) return;
        setAnalysis(a);
        setFaceOn(a.faces.map(() => true));
      })
      .catch((e) => alive && onError(e));
    return () => {
      alive = false;
    };
  }, [api, photoId, onError]);

  return { analysis, hasRefiner, faceOn, toggleFace: (i) => setFaceOn((prev) => prev.map((v, j) => (j === i ? !v : v))) };
}

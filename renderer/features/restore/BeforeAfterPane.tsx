/** A restored photo beside its original: the version the last restore made, compared with a slider, or full size side by side. */
import { useState } from 'react';
import { useApi } from '../../api/context.js';
import { CompareSlider } from '../photo/CompareSlider.js';
import { FullSizeViewer } from '../photo/FullSizeViewer.js';
import type { Restored } from './use-restore-jobs.js';

export function BeforeAfterPane({ restored }: { restored: Restored }) {
  const api = useApi();
  const [full, setFull] = useState(false);
  const side = (kind: 'photo' | 'version', id: number, label: string) => ({ preview: api.mediaUrl({ kind, id, size: 'preview' }), full: api.mediaUrl({ kind, id, size: 'full' }), label });
  return (
    <section className="card">
      <h2>Before / after</h2>
      <CompareSlider before={api.mediaUrl({ kind: 'photo', id: restored.photoId, size: 'preview' })} after={api.mediaUrl({ kind: 'version', id: restored.versionId, size: 'preview' })} />
      <button className="secondary small open-full" onClick={() => setFull(true)}>
        Open full size
      </button>
      {full && <FullSizeViewer title="Before / after" before={side('photo', restored.photoId, 'Original')} after={side('version', restored.versionId, 'Restored')} onClose={() => setFull(false)} />}
    </section>
  );
}

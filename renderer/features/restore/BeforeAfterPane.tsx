/** A restored photo beside its original: the version the last restore made, compared with a slider. */
import { useApi } from '../../api/context.js';
import { CompareSlider } from '../photo/CompareSlider.js';
import type { Restored } from './use-restore-jobs.js';

export function BeforeAfterPane({ restored }: { restored: Restored }) {
  const api = useApi();
  return (
    <section className="card">
      <h2>Before / after</h2>
      <CompareSlider before={api.mediaUrl({ kind: 'photo', id: restored.photoId, size: 'preview' })} after={api.mediaUrl({ kind: 'version', id: restored.versionId, size: 'preview' })} />
    </section>
  );
}

/** The last region preview: how the instruction was understood, and the region before and after. */
import { useApi } from '../../api/context.js';
import { CompareSlider } from '../photo/CompareSlider.js';
import { UnderstoodChips } from './UnderstoodChips.js';
import type { Preview } from './use-restore-jobs.js';

export function PreviewPane({ preview }: { preview: Preview }) {
  const api = useApi();
  return (
    <section className="card" data-testid="preview-result">
      <h2>Preview</h2>
      {preview.semanticTokens.length > 0 && <UnderstoodChips tokens={preview.semanticTokens} />}
      <CompareSlider before={api.mediaUrl({ kind: 'preview', id: preview.beforeId, size: 'full' })} after={api.mediaUrl({ kind: 'preview', id: preview.afterId, size: 'full' })} />
    </section>
  );
}

/** The last region preview: how the instruction was understood (each setting editable), and the region before and after. */
import { useApi } from '../../api/context.js';
import { CompareSlider } from '../photo/CompareSlider.js';
import { UnderstoodChips } from './UnderstoodChips.js';
import type { Preview } from './use-restore-jobs.js';

export function PreviewPane({ preview, onSet, busy }: { preview: Preview; onSet(key: string, value: string): void; busy: boolean }) {
  const api = useApi();
  return (
    <section className="card" data-testid="preview-result">
      <h2>Preview</h2>
      {(preview.understood || preview.semanticTokens.length > 0) && <UnderstoodChips tokens={preview.semanticTokens} understood={preview.understood} onSet={onSet} busy={busy} />}
      <CompareSlider before={api.mediaUrl({ kind: 'preview', id: preview.beforeId, size: 'full' })} after={api.mediaUrl({ kind: 'preview', id: preview.afterId, size: 'full' })} />
    </section>
  );
}

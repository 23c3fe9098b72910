/** The last region preview: how the instruction was understood (each setting editable), and the region before and after (full size on request, with zoom). */
import { useState } from 'react';
import { useApi } from '../../api/context.js';
import { CompareSlider } from '../photo/CompareSlider.js';
import { FullSizeViewer } from '../photo/FullSizeViewer.js';
import { UnderstoodChips } from './UnderstoodChips.js';
import type { Preview } from './use-restore-jobs.js';

export function PreviewPane({ preview, onSet, busy }: { preview: Preview; onSet(key: string, value: string): void; busy: boolean }) {
  const api = useApi();
  const [full, setFull] = useState(false);
  const before = api.mediaUrl({ kind: 'preview', id: preview.beforeId, size: 'full' });
  const after = api.mediaUrl({ kind: 'preview', id: preview.afterId, size: 'full' });
  return (
    <section className="card" data-testid="preview-result">
      <h2>Preview</h2>
      {(preview.understood || preview.semanticTokens.length > 0) && <UnderstoodChips tokens={preview.semanticTokens} understood={preview.understood} onSet={onSet} busy={busy} />}
      <CompareSlider before={before} after={after} />
      <button className="secondary small open-full" onClick={() => setFull(true)}>
        Open full size
      </button>
      {full && <FullSizeViewer title="Region preview" before={{ preview: before, full: before, label: 'Original' }} after={{ preview: after, full: after, label: 'Restored' }} onClose={() => setFull(false)} />}
    </section>
  );
}

/**
 * A version's recipe: everything that decided it, line by line, with
 * "Re-run" (the same settings on the same photo, repeating its repair mask,
 * as a new version), "Apply to the selected photos" and "Copy recipe" (to
 * apply from the Library's selection bar). The CLI does the same with
 * `restora restore --recipe VERSION_ID`.
 */
import { useState } from 'react';
import { useJob } from '../../api/use-job.js';
import { isCancelled } from '../../api/client.js';
import { Modal } from '../../components/ui/Modal.js';
import { ProgressBar } from '../../components/ui/ProgressBar.js';
import { ErrorNotice } from '../../components/ui/Notice.js';
import type { VersionInfo } from '../../../electron/shared/contract/library.js';
import { settingsFromRecipe } from '../../../electron/shared/recipe.js';
import { recipeLines } from './recipe-lines.js';
import { copyRecipe } from './recipe-clipboard.js';
import { ApplyRecipe } from './ApplyRecipe.js';

export function RecipeDialog({ version, fileName, selectedIds, onClose }: { version: VersionInfo; fileName: string; selectedIds: number[]; onClose(): void }) {
  const rerun = useJob();
  const [done, setDone] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const hasMask = typeof (version.recipe.settings.damage as { mask?: unknown } | undefined)?.mask === 'string';
  const others = selectedIds.filter((id) => id !== version.photoId);
  const run = async () => {
    setError(null);
    setDone(null);
    try {
      const r = await rerun.run('restore.photo', { photoId: version.photoId, settings: settingsFromRecipe(version.recipe), label: `${version.label} (re-run)`, ...(hasMask ? { repeatMaskOf: version.id } : {}) });
      setDone(`Re-run done: a new version (${r.versionId}) beside “${version.label}”.`);
    } catch (e) {
      if (!isCancelled(e)) setError(e);
    }
  };
  return (
    <Modal title={`Recipe of “${version.label}”`} onClose={onClose} wide>
      <dl className="recipe" data-testid="recipe">
        {recipeLines(version.recipe).map((l) => (
          <div key={l.label} className="recipe-line" data-label={l.label}>
            <dt>{l.label}</dt>
            <dd>{l.value}</dd>
          </div>
        ))}
      </dl>
      <div className="modal-actions">
        <button
          className="secondary"
          onClick={() => {
            copyRecipe({ versionId: version.id, name: `“${version.label}” of ${fileName}` });
            setCopied(true);
          }}
        >
          {copied ? 'Copied' : 'Copy recipe'}
        </button>
        <button onClick={() => void run()} disabled={!!rerun.jobId}>
          Re-run
        </button>
      </div>
      {rerun.jobId && <ProgressBar progress={rerun.progress} label="Re-run" />}
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
      {done && (
        <div className="banner info" role="status" data-testid="rerun-result">
          {done}
        </div>
      )}
      <h3 className="small">Apply to other photos</h3>
      <ApplyRecipe versionId={version.id} photoIds={others} name="this recipe" />
    </Modal>
  );
}

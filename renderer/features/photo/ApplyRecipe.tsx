/**
 * "Apply this recipe to the selected photos": one restore.batch with
 * fromVersion, so each photo gets the version's settings, its crop refitted
 * (a recipe from a photo of another size says what it adjusted), and the
 * batch pane shows every photo as it goes.
 */
import { useBatch } from '../restore/use-batch.js';
import { BatchPane } from '../restore/BatchPane.js';

/** What one restore.batch takes. */
const MAX_AT_ONCE = 10_000;

export function ApplyRecipe({ versionId, photoIds, name }: { versionId: number; photoIds: number[]; name: string }) {
  const batch = useBatch(`${versionId}:${photoIds.join(',')}`);
  return (
    <div className="apply-recipe" data-testid="apply-recipe">
      {photoIds.length > MAX_AT_ONCE ? (
        <p className="error-text small">A batch takes at most {MAX_AT_ONCE.toLocaleString('en')} photos; select fewer.</p>
      ) : photoIds.length === 0 ? (
        <p className="muted small">Select photos in the Library (Ctrl-click, Shift-click) to apply this recipe to them, or copy it and apply it from the selection bar.</p>
      ) : (
        <button className="secondary" disabled={!!batch.jobId} onClick={() => void batch.start('restore.batch', { photoIds, fromVersion: versionId })}>
          Apply {name} to the {photoIds.length} selected photo{photoIds.length === 1 ? '' : 's'}
        </button>
      )}
      <BatchPane batch={batch} />
    </div>
  );
}

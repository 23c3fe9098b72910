/** Restore: an instruction, mode and fidelity for the chosen photos, then before/after. */
import { useEffect, useState } from 'react';
import { useApi } from '../../api/context.js';
import { ProgressBar } from '../../components/ui/ProgressBar.js';
import { EmptyState, ErrorNotice } from '../../components/ui/Notice.js';
import { CompareSlider } from '../photo/CompareSlider.js';
import type { JobProgress } from '../../../electron/shared/jobs.js';
import { MAX_INSTRUCTION_CHARS } from '../../../electron/shared/recipe.js';

export function RestoreView({ photoIds }: { photoIds: number[] }) {
  const api = useApi();
  const [instruction, setInstruction] = useState('');
  const [mode, setMode] = useState<'fast' | 'generative'>('fast');
  const [fidelity, setFidelity] = useState(0.7);
  const [jobId, setJobId] = useState<string | null>(null);
  const [progress, setProgress] = useState<JobProgress | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [results, setResults] = useState<Array<{ photoId: number; versionId: number }>>([]);
  const [status, setStatus] = useState<string | null>(null);

  useEffect(() => {
    setResults([]);
    setStatus(null);
  }, [photoIds]);

  if (photoIds.length === 0) {
    return <EmptyState title="Choose photos to restore">Select photos in the Library and press Restore (or double-click one).</EmptyState>;
  }

  const run = async () => {
    setError(null);
    setStatus(null);
    const done: Array<{ photoId: number; versionId: number }> = [];
    for (const photoId of photoIds) {
      try {
        const id = await api.start('restore.photo', { photoId, settings: { instruction, mode, fidelity } });
        setJobId(id);
        const info = await api.wait(id, setProgress);
        if (info.state === 'done') done.push(info.result as { photoId: number; versionId: number });
        else if (info.state === 'cancelled') {
          setStatus('Cancelled. Nothing was saved for the cancelled photo.');
          break;
        } else if (info.error) setError(new Error(info.error.message));
      } catch (e) {
        setError(e);
        break;
      }
    }
    setResults(done);
    setJobId(null);
    setProgress(undefined);
    if (done.length) setStatus(`Restored ${done.length} photo(s); each result is a new version beside its original.`);
  };

  const last = results[results.length - 1];
  return (
    <div className="restore">
      <section className="card">
        <h2>
          Restore {photoIds.length} photo{photoIds.length === 1 ? '' : 's'}
        </h2>
        <label className="field">
          <span>What should be fixed? (optional)</span>
          <textarea
            aria-label="Instruction"
            rows={2}
            maxLength={MAX_INSTRUCTION_CHARS}
            placeholder="e.g. remove the scratches but keep the grain"
            value={instruction}
            onChange={(e) => setInstruction(e.target.value)}
          />
        </label>
        <div className="row">
          <label className="field inline">
            <span>Mode</span>
            <select aria-label="Mode" value={mode} onChange={(e) => setMode(e.target.value as 'fast' | 'generative')}>
              <option value="fast">Fast</option>
              <option value="generative">Generative (more detail)</option>
            </select>
          </label>
          <label className="field inline">
            <span>Fidelity {fidelity.toFixed(2)}</span>
            <input aria-label="Fidelity" type="range" min={0} max={1} step={0.05} value={fidelity} onChange={(e) => setFidelity(Number(e.target.value))} />
          </label>
          <button onClick={() => void run()} disabled={!!jobId} data-testid="run-restore">
            Restore
          </button>
          {jobId && (
            <button className="secondary" onClick={() => void api.call('jobs.cancel', { jobId })}>
              Cancel
            </button>
          )}
        </div>
        {jobId && <ProgressBar progress={progress} label="Restoration" />}
        <ErrorNotice error={error} onDismiss={() => setError(null)} />
        {status && (
          <div className="banner info" role="status" data-testid="restore-status">
            {status}
          </div>
        )}
      </section>
      {last && (
        <section className="card">
          <h2>Before / after</h2>
          <CompareSlider
            before={api.mediaUrl({ kind: 'photo', id: last.photoId, size: 'preview' })}
            after={api.mediaUrl({ kind: 'version', id: last.versionId, size: 'preview' })}
          />
        </section>
      )}
    </div>
  );
}

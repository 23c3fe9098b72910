/**
 * Restore: analysis and suggested instructions for the chosen photos, an
 * instruction, mode and fidelity, a quick preview of one region, then the
 * whole photos (batch) with progress, and before/after for the result.
 */
import { useEffect, useState } from 'react';
import { useApi } from '../../api/context.js';
import { isCancelled } from '../../api/client.js';
import { useJob } from '../../api/use-job.js';
import { ProgressBar } from '../../components/ui/ProgressBar.js';
import { EmptyState, ErrorNotice } from '../../components/ui/Notice.js';
import { CompareSlider } from '../photo/CompareSlider.js';
import { AnalysisPanel } from './AnalysisPanel.js';
import { RegionPicker } from './RegionPicker.js';
import { AdapterPicker } from './AdapterPicker.js';
import type { Analysis, Region } from '../../../electron/shared/contract/engine.js';
import { DEFAULT_STEPS, MAX_INSTRUCTION_CHARS } from '../../../electron/shared/recipe.js';
import type { Result } from '../../../electron/shared/contract/index.js';
import './restore.css';

type Done = { photoId: number; versionId: number };

export function RestoreView({ photoIds }: { photoIds: number[] }) {
  const api = useApi();
  const [instruction, setInstruction] = useState('');
  const [mode, setMode] = useState<'fast' | 'generative'>('fast');
  const [fidelity, setFidelity] = useState(0.7);
  const [adapter, setAdapter] = useState('');
  const [steps, setSteps] = useState(DEFAULT_STEPS);
  // Off: the same photo and settings always give the same result. On: a variation from the seed.
  const [variation, setVariation] = useState(false);
  const [seed, setSeed] = useState(1);
  const [analysis, setAnalysis] = useState<Analysis | null>(null);
  const [hasRefiner, setHasRefiner] = useState(false);
  const [faceOn, setFaceOn] = useState<boolean[]>([]);
  const [region, setRegion] = useState<Region>({ x: 0.35, y: 0.25, w: 0.3, h: 0.3 });
  const [preview, setPreview] = useState<Result<'restore.preview'> | null>(null);
  const job = useJob();
  const [jobLabel, setJobLabel] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [results, setResults] = useState<Done[]>([]);
  const [status, setStatus] = useState<string | null>(null);
  const first = photoIds[0];

  useEffect(() => {
    setResults([]);
    setStatus(null);
    setPreview(null);
    setAnalysis(null);
    if (first === undefined) return;
    let alive = true;
    api.call('engine.info', {}).then((i) => alive && setHasRefiner(i.models.some((m) => m.ok && m.task === 'refiner'))).catch(() => undefined);
    api
      .call('restore.analyze', { photoId: first })
      .then((a) => {
        if (!alive) return;
        setAnalysis(a);
        setFaceOn(a.faces.map(() => true));
      })
      .catch((e) => alive && setError(e));
    return () => {
      alive = false;
    };
  }, [api, first]);

  if (first === undefined) {
    return <EmptyState title="Choose photos to restore">Select photos in the Library and press Restore (or double-click one).</EmptyState>;
  }
  // Face choices apply to the analysed photo; a batch restores every face it finds.
  const chosen = analysis && photoIds.length === 1 && faceOn.some((on) => !on) ? { faces: analysis.faces.filter((_, i) => faceOn[i]).map(({ x, y, w, h }) => ({ x, y, w, h })) } : {};
  const generative = mode === 'generative' ? { steps, ...(variation ? { deterministic: false, seed } : {}) } : {};
  const settings = { instruction, mode, fidelity, ...generative, ...chosen, ...(adapter ? { adapter } : {}) };
  const faceChoices = analysis ? analysis.faces.map((f, i) => ({ x: f.x / analysis.width, y: f.y / analysis.height, w: f.w / analysis.width, h: f.h / analysis.height, on: faceOn[i] ?? true })) : [];

  const runPreview = async () => {
    setError(null);
    setJobLabel('Preview');
    try {
      setPreview(await job.run('restore.preview', { photoId: first, settings, region }));
    } catch (e) {
      if (!isCancelled(e)) setError(e);
    }
  };

  const runAll = async () => {
    setError(null);
    setStatus(null);
    const done: Done[] = [];
    for (const [i, photoId] of photoIds.entries()) {
      setJobLabel(photoIds.length > 1 ? `Photo ${i + 1} of ${photoIds.length}` : 'Restoring');
      try {
        done.push(await job.run('restore.photo', { photoId, settings }));
      } catch (e) {
        if (isCancelled(e)) {
          setStatus('Cancelled. Nothing was saved for the cancelled photo.');
          break;
        }
        // One photo that fails does not stop the batch; the notice says why it failed.
        setError(e);
      }
    }
    setResults(done);
    if (done.length) setStatus(`Restored ${done.length} photo(s); each result is a new version beside its original.`);
  };

  const last = results[results.length - 1];
  return (
    <div className="restore">
      <section className="card">
        <h2>
          Restore {photoIds.length} photo{photoIds.length === 1 ? '' : 's'}
        </h2>
        {analysis ? <AnalysisPanel analysis={analysis} onPick={setInstruction} /> : <p className="muted">Analysing the photo…</p>}
        <label className="field">
          <span>What should be fixed? (optional: without an instruction Restora fixes what it finds)</span>
          <textarea aria-label="Instruction" rows={2} maxLength={MAX_INSTRUCTION_CHARS} placeholder="e.g. remove the scratches but keep the grain" value={instruction} onChange={(e) => setInstruction(e.target.value)} />
        </label>
        <div className="row">
          <label className="field inline">
            <span>Mode</span>
            <select aria-label="Mode" value={mode} onChange={(e) => setMode(e.target.value as 'fast' | 'generative')}>
              <option value="fast">Fast</option>
              <option value="generative" disabled={!hasRefiner}>
                Generative (more detail){hasRefiner ? '' : ' — needs the refiner model'}
              </option>
            </select>
          </label>
          {mode === 'generative' && (
            <label className="field inline" title="Low: more generated detail. High: closer to the original.">
              <span>Fidelity {fidelity.toFixed(2)}</span>
              <input aria-label="Fidelity" type="range" min={0} max={1} step={0.05} value={fidelity} onChange={(e) => setFidelity(Number(e.target.value))} />
            </label>
          )}
          {mode === 'generative' && (
            <label className="field inline" title="More steps: slower, sometimes finer detail.">
              <span>Steps</span>
              <select aria-label="Steps" value={steps} onChange={(e) => setSteps(Number(e.target.value))}>
                {[2, 4, 6, 8].map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </label>
          )}
          {mode === 'generative' && (
            <label className="field inline" title="Off: the same photo and settings always give the same result. On: a different variation for each seed.">
              <span>
                <input aria-label="Variation" type="checkbox" checked={variation} onChange={(e) => setVariation(e.target.checked)} /> Variation
              </span>
              {variation && (
                <input aria-label="Seed" type="number" min={0} max={4294967295} step={1} value={seed} onChange={(e) => setSeed(Math.max(0, Math.min(4294967295, Math.floor(Number(e.target.value) || 0))))} />
              )}
            </label>
          )}
          <AdapterPicker value={adapter} onChange={setAdapter} />
          <button className="secondary" onClick={() => void runPreview()} disabled={!!job.jobId} data-testid="run-preview">
            Preview region
          </button>
          <button onClick={() => void runAll()} disabled={!!job.jobId} data-testid="run-restore">
            Restore {photoIds.length > 1 ? `all ${photoIds.length}` : ''}
          </button>
          {job.jobId && (
            <button className="secondary" onClick={() => void job.cancel()}>
              Cancel
            </button>
          )}
        </div>
        {job.jobId && <ProgressBar progress={job.progress} label={jobLabel} />}
        <ErrorNotice error={error} onDismiss={() => setError(null)} />
        {status && (
          <div className="banner info" role="status" data-testid="restore-status">
            {status}
          </div>
        )}
      </section>
      <div className="restore-panes">
        <section className="card">
          <h2>Region to preview</h2>
          <p className="muted small">
            Drag on the photo to choose the part to try first.{faceChoices.length > 0 && ' Numbered boxes are the faces found: click one to leave it as it is.'}
          </p>
          <RegionPicker
            src={api.mediaUrl({ kind: 'photo', id: first, size: 'preview' })}
            region={region}
            onChange={setRegion}
            faces={faceChoices}
            onToggleFace={(i) => setFaceOn((prev) => prev.map((v, j) => (j === i ? !v : v)))}
          />
        </section>
        {preview && (
          <section className="card" data-testid="preview-result">
            <h2>Preview</h2>
            {preview.semanticTokens.length > 0 && <Understood tokens={preview.semanticTokens} />}
            <CompareSlider before={api.mediaUrl({ kind: 'preview', id: preview.beforeId, size: 'full' })} after={api.mediaUrl({ kind: 'preview', id: preview.afterId, size: 'full' })} />
          </section>
        )}
      </div>
      {last && (
        <section className="card">
          <h2>Before / after</h2>
          <CompareSlider before={api.mediaUrl({ kind: 'photo', id: last.photoId, size: 'preview' })} after={api.mediaUrl({ kind: 'version', id: last.versionId, size: 'preview' })} />
        </section>
      )}
    </div>
  );
}

/** How the instruction was understood: the generated semantic tokens, e.g. "grain: keep". */
function Understood({ tokens }: { tokens: string[] }) {
  const shown = tokens.filter((t) => !/:(off|normal|all|free|keep|fix|remove)$/.test(t) || /^(grain|colour|cast):/.test(t));
  return (
    <p className="understood" data-testid="understood">
      Understood as:{' '}
      {shown.map((t) => (
        <span key={t} className="chip static">
          {t.replace(':', ': ')}
        </span>
      ))}
    </p>
  );
}

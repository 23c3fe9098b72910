/**
 * Fine-tune: personalise the restorer on this computer. Choose reference
 * photos (chosen ones, an album or a tag) and optionally make A/B picks, then
 * train with progress, ETA, a live loss chart and sample previews; at the end
 * a plain verdict from held-out photos. Stopped runs can be resumed; adapters
 * are managed below.
 */
import { useCallback, useEffect, useState } from 'react';
import { useApi } from '../../api/context.js';
import { isCancelled } from '../../api/client.js';
import { useJob } from '../../api/use-job.js';
import { ProgressBar } from '../../components/ui/ProgressBar.js';
import { ErrorNotice } from '../../components/ui/Notice.js';
import type { JobProgress } from '../../../electron/shared/jobs.js';
import type { Result } from '../../../electron/shared/contract/index.js';
import { DEFAULT_FINETUNE_STEPS, type AdapterInfo, type LossPoint } from '../../../electron/shared/contract/finetune.js';
import { LossChart } from './LossChart.js';
import { ReferencePicker, type Source } from './ReferencePicker.js';
import { PickPanel, type Pick } from './PickPanel.js';
import { AdapterList } from './AdapterList.js';
import { FullSizeViewer } from '../photo/FullSizeViewer.js';
import './finetune.css';

type Photo = Result<'library.listPhotos'>['items'][number];
type Run = Result<'finetune.runs'>['runs'][number];
type Previews = { before?: number; base?: number; adapted?: number };

export function FinetuneView() {
  const api = useApi();
  const [photos, setPhotos] = useState<Photo[]>([]);
  const [source, setSource] = useState<Source>({ kind: 'photos', photoIds: [] });
  const [picks, setPicks] = useState<Pick[]>([]);
  const [name, setName] = useState('');
  const [steps, setSteps] = useState(DEFAULT_FINETUNE_STEPS);
  const training = useJob();
  const [losses, setLosses] = useState<LossPoint[]>([]);
  const [totalSteps, setTotalSteps] = useState(0);
  const [previews, setPreviews] = useState<Previews>({});
  const [fullSample, setFullSample] = useState(false);
  const [result, setResult] = useState<Result<'finetune.start'> | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [runs, setRuns] = useState<Run[]>([]);
  const [adapters, setAdapters] = useState<AdapterInfo[]>([]);

  const refresh = useCallback(() => {
    api.call('finetune.runs', {}).then((r) => setRuns(r.runs)).catch(() => undefined);
    api.call('adapters.list', {}).then((r) => setAdapters(r.adapters)).catch(() => undefined);
  }, [api]);
  useEffect(() => {
    api.call('library.listPhotos', { limit: 200 }).then((r) => setPhotos(r.items)).catch(setError);
    refresh();
  }, [api, refresh]);

  const onProgress = (p: JobProgress) => {
    const d = p.data ?? {};
    if (typeof d.step === 'number' && typeof d.loss === 'number') {
      const point: LossPoint = { step: d.step, loss: d.loss, restoration: typeof d.restoration === 'number' ? d.restoration : d.loss, preference: typeof d.preference === 'number' ? d.preference : null };
      setLosses((prev) => (prev.length && prev[prev.length - 1]!.step >= point.step ? prev : [...prev, point]));
    }
    if (typeof d.steps === 'number') setTotalSteps(d.steps);
    setPreviews((prev) => ({
      before: typeof d.previewBefore === 'number' ? d.previewBefore : prev.before,
      base: typeof d.previewBase === 'number' ? d.previewBase : prev.base,
      adapted: typeof d.previewAdapted === 'number' ? d.previewAdapted : prev.adapted,
    }));
  };

  /** Trains until done or stopped, then shows the run's full loss history (progress events are throttled). */
  const follow = async (train: (onProgress: (p: JobProgress) => void) => Promise<Result<'finetune.start'>>, history: LossPoint[] = []) => {
    setError(null);
    setStatus(null);
    setResult(null);
    setLosses(history);
    setPreviews({});
    let runId: unknown;
    try {
      const done = await train((p) => {
        runId = p.data?.runId ?? runId;
        onProgress(p);
      });
      runId = done.runId;
      setResult(done);
    } catch (e) {
      if (isCancelled(e)) setStatus('Stopped. The last checkpoint is kept: resume the run below to continue where it stopped.');
      else setError(e);
    }
    try {
      const r = await api.call('finetune.runs', {});
      setRuns(r.runs);
      const run = r.runs.find((x) => x.runId === runId);
      if (run) setLosses(run.losses);
    } catch (e) {
      setError(e);
    } finally {
      refresh();
    }
  };

  const start = () => {
    const sel = source.kind === 'photos' ? { photoIds: source.photoIds } : source.kind === 'album' ? (source.albumId ? { albumId: source.albumId } : {}) : source.tag ? { tag: source.tag } : {};
    setTotalSteps(steps);
    void follow((onProgress) => training.run('finetune.start', { name: name.trim(), ...sel, picks, options: { steps, previewEvery: Math.max(1, Math.round(steps / 8)) } }, onProgress));
  };
  const resume = (run: Run) => {
    setTotalSteps(run.steps);
    void follow((onProgress) => training.run('finetune.resume', { runId: run.runId }, onProgress), run.losses);
  };

  const refCount = source.kind === 'photos' ? source.photoIds.length : null;
  const canStart = !training.jobId && name.trim().length > 0 && (refCount === null || refCount >= 2 || picks.some((p) => p.choice !== 'neither'));
  const stopped = runs.filter((r) => r.state === 'stopped');
  return (
    <div className="finetune">
      <section className="card">
        <h2>1. Reference photos</h2>
        <ReferencePicker source={source} onChange={setSource} photos={photos} />
      </section>
      <section className="card">
        <h2>2. Your preferences (optional)</h2>
        <p className="muted small">Compare two restorations of one of your damaged photos and say which is better. Training then leans toward what you picked.</p>
        <PickPanel photos={photos} picks={picks} onPicks={setPicks} />
      </section>
      <section className="card">
        <h2>3. Train on this computer</h2>
        <div className="row">
          <label className="field inline">
            <span>Name</span>
            <input aria-label="Personalisation name" placeholder="e.g. Grandma" maxLength={60} value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <label className="field inline">
            <span>Steps</span>
            <input aria-label="Steps" type="number" min={1} max={20000} value={steps} onChange={(e) => setSteps(Math.max(1, Math.min(20000, Number(e.target.value) || 1)))} />
          </label>
          <button onClick={start} disabled={!canStart} data-testid="start-training">
            Start training
          </button>
          {training.jobId && (
            <button className="secondary" onClick={() => void training.cancel()} data-testid="cancel-training">
              Cancel
            </button>
          )}
        </div>
        {training.jobId && <ProgressBar progress={training.progress} label="Training" />}
        <ErrorNotice error={error} onDismiss={() => setError(null)} />
        {status && <div className="banner info" role="status">{status}</div>}
        <LossChart points={losses} steps={totalSteps || steps} />
        {(previews.before || previews.adapted) && (
          <div className="samples" data-testid="samples">
            {([['Before', previews.before], ['Base model', previews.base], ['Personalised', previews.adapted]] as const).map(([label, id]) =>
              id ? (
                <figure key={label}>
                  <img src={api.mediaUrl({ kind: 'preview', id, size: 'full' })} alt={label} data-testid={`sample-${label}`} data-preview-id={id} />
                  <figcaption>{label}</figcaption>
                </figure>
              ) : null,
            )}
            {previews.before && (previews.adapted ?? previews.base) && (
              <button className="secondary small" onClick={() => setFullSample(true)}>
                Open full size
              </button>
            )}
          </div>
        )}
        {fullSample && previews.before && (previews.adapted ?? previews.base) && (
          <FullSizeViewer
            title="Training sample"
            before={{ preview: api.mediaUrl({ kind: 'preview', id: previews.before, size: 'full' }), full: api.mediaUrl({ kind: 'preview', id: previews.before, size: 'full' }), label: 'Before' }}
            after={{ preview: api.mediaUrl({ kind: 'preview', id: (previews.adapted ?? previews.base)!, size: 'full' }), full: api.mediaUrl({ kind: 'preview', id: (previews.adapted ?? previews.base)!, size: 'full' }), label: previews.adapted ? 'Personalised' : 'Base model' }}
            onClose={() => setFullSample(false)}
          />
        )}
        {result && (
          <div className={`banner verdict ${result.evaluation.verdict}`} role="status" data-testid="verdict">
            <span>
              {result.evaluation.summary}{' '}
              {result.recommended ? `Choose "${result.adapter.name}" in the Restore panel to use it.` : 'It is saved but will only be used if you choose it.'}
              {result.evaluation.n > 0 && ` Base ${result.evaluation.psnrBase.toFixed(2)} dB, personalised ${result.evaluation.psnrAdapted.toFixed(2)} dB.`}
            </span>
          </div>
        )}
        {stopped.length > 0 && (
          <div className="stopped-runs">
            <h3 className="small">Stopped runs</h3>
            {stopped.map((r) => (
              <div key={r.runId} className="row">
                <span>
                  {r.name}: step {r.step} of {r.steps}
                </span>
                <button className="secondary" disabled={!!training.jobId} onClick={() => resume(r)} data-testid={`resume-${r.runId}`}>
                  Resume
                </button>
              </div>
            ))}
          </div>
        )}
      </section>
      <section className="card">
        <h2>Personalisations</h2>
        <AdapterList adapters={adapters} onChanged={refresh} />
      </section>
    </div>
  );
}

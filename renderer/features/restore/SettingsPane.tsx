/**
 * The Restore panel's settings card: what the analysis found (with suggested
 * instructions), the instruction, the mode and its options, the
 * personalisation, the Preview and Restore buttons, and the running job's
 * progress, errors and outcome.
 */
import { ProgressBar } from '../../components/ui/ProgressBar.js';
import { ErrorNotice } from '../../components/ui/Notice.js';
import { MAX_INSTRUCTION_CHARS } from '../../../electron/shared/recipe.js';
import { AnalysisPanel } from './AnalysisPanel.js';
import { AdapterPicker } from './AdapterPicker.js';
import { GenerativeOptions } from './GenerativeOptions.js';
import type { RestoreForm, RestoreMode } from './restore-settings.js';
import type { PhotoAnalysis } from './use-photo-analysis.js';
import type { RestoreJobs } from './use-restore-jobs.js';

export interface SettingsPaneProps {
  photoCount: number;
  analysis: PhotoAnalysis;
  form: RestoreForm;
  onForm(patch: Partial<RestoreForm>): void;
  jobs: RestoreJobs;
  onPreview(): void;
  onRestore(): void;
  error: unknown;
  onDismissError(): void;
}

export function SettingsPane({ photoCount, analysis: { analysis, hasRefiner }, form, onForm, jobs, onPreview, onRestore, error, onDismissError }: SettingsPaneProps) {
  return (
    <section className="card">
      <h2>
        Restore {photoCount} photo{photoCount === 1 ? '' : 's'}
      </h2>
      {analysis ? <AnalysisPanel analysis={analysis} onPick={(instruction) => onForm({ instruction })} /> : <p className="muted">Analysing the photo…</p>}
      <label className="field">
        <span>What should be fixed? (optional: without an instruction Restora fixes what it finds)</span>
        <textarea
          aria-label="Instruction"
          rows={2}
          maxLength={MAX_INSTRUCTION_CHARS}
          placeholder="e.g. remove the scratches but keep the grain"
          value={form.instruction}
          onChange={(e) => onForm({ instruction: e.target.value })}
        />
      </label>
      <div className="row">
        <label className="field inline">
          <span>Mode</span>
          <select aria-label="Mode" value={form.mode} onChange={(e) => onForm({ mode: e.target.value as RestoreMode })}>
            <option value="fast">Fast</option>
            <option value="generative" disabled={!hasRefiner}>
              Generative (more detail){hasRefiner ? '' : ' — needs the refiner model'}
            </option>
          </select>
        </label>
        {form.mode === 'generative' && <GenerativeOptions form={form} onChange={onForm} />}
        <AdapterPicker value={form.adapter} onChange={(adapter) => onForm({ adapter })} />
        <button className="secondary" onClick={onPreview} disabled={!!jobs.jobId} data-testid="run-preview">
          Preview region
        </button>
        <button onClick={onRestore} disabled={!!jobs.jobId} data-testid="run-restore">
          Restore {photoCount > 1 ? `all ${photoCount}` : ''}
        </button>
        {jobs.jobId && (
          <button className="secondary" onClick={() => void jobs.cancel()}>
            Cancel
          </button>
        )}
      </div>
      {jobs.jobId && <ProgressBar progress={jobs.progress} label={jobs.label} />}
      <ErrorNotice error={error} onDismiss={onDismissError} />
      {jobs.status && (
        <div className="banner info" role="status" data-testid="restore-status">
          {jobs.status}
        </div>
      )}
    </section>
  );
}

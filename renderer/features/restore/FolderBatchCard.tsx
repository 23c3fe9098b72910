/**
 * Folder to folder: every image of an input folder restored into an output
 * folder, in a format, named by a pattern ({name}, {n}, {date}, {folder}),
 * with the Restore panel's settings (or plain defaults when no photo is
 * open). Folders are typed or chosen with Browse (browser mode included).
 * Existing files are never overwritten.
 */
import { useState } from 'react';
import { FolderField } from '../../components/ui/FolderField.js';
import { ErrorNotice } from '../../components/ui/Notice.js';
import { BatchFormat, NamingPattern, NAME_TOKENS } from '../../../electron/shared/contract/batch.js';
import type { RestoreSettings } from '../../../electron/shared/recipe.js';
import type { BatchRun } from './use-batch.js';

export function FolderBatchCard({ settings, batch, describe }: { settings: RestoreSettings; batch: BatchRun; describe: string }) {
  const [input, setInput] = useState('');
  const [output, setOutput] = useState('');
  const [recursive, setRecursive] = useState(false);
  const [format, setFormat] = useState<BatchFormat>('png');
  const [naming, setNaming] = useState('{name}-restored');
  const [problem, setProblem] = useState<string | null>(null);
  const start = () => {
    setProblem(null);
    const named = NamingPattern.safeParse(naming);
    if (!input.trim() || !output.trim()) return setProblem('Choose an input folder and an output folder.');
    if (!named.success) return setProblem(named.error.issues[0]?.message ?? 'That naming pattern cannot be used');
    void batch.start('restore.folder', { inputs: [input.trim()], output: output.trim(), recursive, format, naming: named.data, settings });
  };
  return (
    <section className="card" aria-label="Folder to folder" data-testid="folder-batch">
      <h2>Restore a folder into another</h2>
      <p className="muted small">{describe}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          start();
        }}
      >
        <FolderField label="Input folder" value={input} onChange={setInput} placeholder="/home/me/Scans" />
        <label className="field inline">
          <input type="checkbox" checked={recursive} onChange={(e) => setRecursive(e.target.checked)} /> <span>Include subfolders</span>
        </label>
        <FolderField label="Output folder" value={output} onChange={setOutput} placeholder="/home/me/Restored" />
        <div className="row">
          <label className="field inline">
            <span>Format</span>
            <select aria-label="Output format" value={format} onChange={(e) => setFormat(e.target.value as BatchFormat)}>
              {BatchFormat.options.map((f) => (
                <option key={f} value={f}>
                  {f.toUpperCase()}
                </option>
              ))}
            </select>
          </label>
          <label className="field inline">
            <span>Naming ({NAME_TOKENS.join(' ')})</span>
            <input aria-label="Naming pattern" value={naming} onChange={(e) => setNaming(e.target.value)} />
          </label>
          <button type="submit" disabled={!!batch.jobId}>
            Restore folder
          </button>
        </div>
      </form>
      {problem && <ErrorNotice error={problem} onDismiss={() => setProblem(null)} />}
    </section>
  );
}

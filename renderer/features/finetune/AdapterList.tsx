/** Adapters on this computer: how each did on held-out photos; rename, delete, export, import. */
import { useState } from 'react';
import { useApi } from '../../api/context.js';
import type { AdapterInfo } from '../../../electron/shared/contract/finetune.js';
import { ErrorNotice } from '../../components/ui/Notice.js';
import { useConfirm } from '../../components/ui/ConfirmDialog.js';

export function verdictLabel(a: AdapterInfo): string {
  if (!a.compatible) return `unusable: ${a.problem ?? 'incompatible'}`;
  const e = a.evaluation;
  if (!e || e.verdict === 'not-evaluated') return 'not evaluated';
  const g = `${e.gainDb >= 0 ? '+' : ''}${e.gainDb.toFixed(2)} dB`;
  return e.verdict === 'helped' ? `helped (${g})` : e.verdict === 'hurt' ? `did not help (${g})` : `no clear difference (${g})`;
}

export function AdapterList({ adapters, onChanged }: { adapters: AdapterInfo[]; onChanged(): void }) {
  const api = useApi();
  const [error, setError] = useState<unknown>(null);
  const [renaming, setRenaming] = useState<{ name: string; value: string } | null>(null);
  const [dialog, confirm] = useConfirm();
  const act = async (f: () => Promise<unknown>) => {
    setError(null);
    try {
      await f();
      onChanged();
    } catch (e) {
      setError(e);
    }
  };
  const exportOne = (name: string) =>
    act(async () => {
      const r = await api.call('adapters.exportData', { name });
      const bytes = Uint8Array.from(atob(r.base64), (c) => c.charCodeAt(0));
      const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = r.fileName;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    });
  const importFile = (file: File) =>
    act(async () => {
      if (file.size > 500_000) throw new Error(`${file.name} is too large to be an adapter`);
      const buf = new Uint8Array(await file.arrayBuffer());
      let bin = '';
      for (const b of buf) bin += String.fromCharCode(b);
      await api.call('adapters.importData', { base64: btoa(bin) });
    });
  return (
    <div className="adapter-list">
      {dialog}
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
      {adapters.length === 0 ? (
        <p className="muted small">No personalisations yet.</p>
      ) : (
        <table data-testid="adapters">
          <tbody>
            {adapters.map((a) => (
              <tr key={a.name} data-testid={`adapter-${a.name}`}>
                <td>
                  {renaming?.name === a.name ? (
                    <form
                      onSubmit={(e) => {
                        e.preventDefault();
                        void act(() => api.call('adapters.rename', { name: a.name, newName: renaming.value })).then(() => setRenaming(null));
                      }}
                    >
                      <input aria-label="New name" value={renaming.value} autoFocus onChange={(e) => setRenaming({ name: a.name, value: e.target.value })} />
                    </form>
                  ) : (
                    <strong>{a.name}</strong>
                  )}
                </td>
                <td className="muted small">
                  {a.references} photo(s), {a.picks} pick(s), {a.steps} steps
                </td>
                <td className={a.evaluation?.verdict === 'helped' ? 'ok' : 'muted'}>{verdictLabel(a)}</td>
                <td className="actions">
                  <button className="link" onClick={() => setRenaming({ name: a.name, value: a.name })}>Rename</button>
                  <button className="link" onClick={() => void exportOne(a.name)}>Export</button>
                  <button
                    className="link"
                    onClick={() =>
                      void confirm({ title: `Delete "${a.name}"?`, body: 'Restorations already made with it stay as they are.', action: 'Delete', danger: true }).then(
                        async (ok) => {
                          if (ok) await act(() => api.call('adapters.delete', { name: a.name }));
                        },
                      )
                    }
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <label className="import-adapter">
        <span className="link">Import an adapter file…</span>
        <input type="file" accept=".radapter" aria-label="Import adapter" onChange={(e) => e.target.files?.[0] && void importFile(e.target.files[0]).then(() => (e.target.value = ''))} />
      </label>
    </div>
  );
}

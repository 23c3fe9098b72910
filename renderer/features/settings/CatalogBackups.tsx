/**
 * Settings → Catalog backups: the backups the library keeps (a daily one is
 * made automatically), a button to make one now, and restoring one (asked
 * first; the catalog as it was is kept as a backup too, so it can be undone).
 */
import { useCallback, useEffect, useState } from 'react';
import { useApi } from '../../api/context.js';
import { useConfirm } from '../../components/ui/ConfirmDialog.js';
import type { Result } from '../../../electron/shared/contract/index.js';

type Backups = Result<'library.listBackups'>;

const REASON: Record<Backups['backups'][number]['reason'], string> = { auto: 'automatic', manual: 'made by hand', 'before-restore': 'before a restore' };

export function CatalogBackups({ onError }: { onError(e: unknown): void }) {
  const api = useApi();
  const [list, setList] = useState<Backups | null>(null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [dialog, confirm] = useConfirm();
  const load = useCallback(() => api.call('library.listBackups', {}).then(setList).catch(onError), [api, onError]);
  useEffect(() => void load(), [load]);

  const act = async (what: () => Promise<string>) => {
    setBusy(true);
    setNote(null);
    try {
      setNote(await what());
      await load();
    } catch (e) {
      onError(e);
    } finally {
      setBusy(false);
    }
  };
  const backUp = () => act(async () => `Backed up as ${(await api.call('library.backup', {})).name}.`);
  const restore = async (name: string) => {
    const ok = await confirm({
      title: 'Restore this backup?',
      body: `The catalog (photos, albums, tags, versions) goes back to ${name}. The catalog as it is now is kept as a backup first.`,
      action: 'Restore backup',
      danger: true,
    });
    if (ok) await act(async () => `Restored ${name}; the catalog as it was is kept as ${(await api.call('library.restoreBackup', { name })).previous.name}.`);
  };

  return (
    <section className="card" data-testid="catalog-backups">
      {dialog}
      <h2>Catalog backups</h2>
      <p className="muted">A backup of the catalog is made each day; originals and restored files are not copied. Folder: <span className="mono">{list?.folder ?? '…'}</span></p>
      <ul className="plain">
        {list?.backups.length === 0 && <li>No backups yet.</li>}
        {list?.backups.slice(0, 12).map((b) => (
          <li key={b.name}>
            {new Date(b.createdAt).toLocaleString()} <span className="muted">({REASON[b.reason]}, {(b.bytes / 2 ** 20).toFixed(1)} MB)</span>{' '}
            <button className="secondary" disabled={busy} onClick={() => void restore(b.name)}>
              Restore…
            </button>
          </li>
        ))}
      </ul>
      <button onClick={() => void backUp()} disabled={busy} data-testid="backup-now">
        Back up now
      </button>
      {note && <p data-testid="backup-note">{note}</p>}
    </section>
  );
}

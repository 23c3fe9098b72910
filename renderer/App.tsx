/** The window: a tab bar over the main views, a jobs tray, and worker status. */
import { useEffect, useState } from 'react';
import { LibraryView, type ShowPhotos } from './features/library/LibraryView.js';
import { RestoreView } from './features/restore/RestoreView.js';
import { FinetuneView } from './features/finetune/FinetuneView.js';
import { JobsPanel } from './features/jobs/JobsPanel.js';
import { SettingsView } from './features/settings/SettingsView.js';
import { PeopleView } from './features/people/PeopleView.js';
import { useApi } from './api/context.js';
import type { WorkerStatus } from '../electron/shared/contract/host.js';

export type ViewName = 'library' | 'people' | 'restore' | 'finetune' | 'jobs' | 'settings';

const VIEWS: Array<{ id: ViewName; label: string; key: string }> = [
  { id: 'library', label: 'Library', key: '1' },
  { id: 'restore', label: 'Restore', key: '2' },
  { id: 'finetune', label: 'Fine-tune', key: '3' },
  { id: 'jobs', label: 'Jobs', key: '4' },
  { id: 'settings', label: 'Settings', key: '5' },
  { id: 'people', label: 'People', key: '6' },
];

export function App() {
  const api = useApi();
  const [view, setView] = useState<ViewName>('library');
  const [restoreIds, setRestoreIds] = useState<number[]>([]);
  const [show, setShow] = useState<ShowPhotos | null>(null);
  const [workers, setWorkers] = useState<Record<string, WorkerStatus>>({});

  useEffect(() => {
    api.call('app.info', {}).then((info) => setWorkers(Object.fromEntries(info.workers.map((w) => [w.service, w])))).catch(() => undefined);
    return api.on('worker.status', (w) => setWorkers((prev) => ({ ...prev, [w.service]: w })));
  }, [api]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.shiftKey || e.altKey) return;
      const v = VIEWS.find((x) => x.key === e.key);
      if (v) {
        e.preventDefault();
        setView(v.id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const crashed = Object.values(workers).filter((w) => w.state === 'crashed');
  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">Restora</span>
        <nav className="tabs" role="tablist" aria-label="Main views">
          {VIEWS.map((v) => (
            <button key={v.id} role="tab" aria-selected={view === v.id} className={view === v.id ? 'tab active' : 'tab'} onClick={() => setView(v.id)} title={`Ctrl+${v.key}`}>
              {v.label}
            </button>
          ))}
        </nav>
        <span className="worker-dots" aria-label="Services">
          {(['library', 'engine'] as const).map((s) => (
            <span key={s} className={`dot ${workers[s]?.state ?? 'starting'}`} title={`${s}: ${workers[s]?.state ?? 'starting'}${workers[s]?.message ? ` — ${workers[s]!.message}` : ''}`}>
              {s}
            </span>
          ))}
        </span>
      </header>
      {crashed.length > 0 && (
        <div className="banner warn" role="status">
          {crashed.map((w) => `The ${w.service} service stopped unexpectedly and is restarting. ${w.message ?? ''}`).join(' ')}
        </div>
      )}
      <main className="view" role="tabpanel" aria-label={view}>
        {view === 'library' && (
          <LibraryView
            show={show}
            onShown={() => setShow(null)}
            onRestore={(ids) => {
              setRestoreIds(ids);
              setView('restore');
            }}
          />
        )}
        {view === 'people' && (
          <PeopleView
            onShowPhotos={(person) => {
              setShow(person);
              setView('library');
            }}
          />
        )}
        {view === 'restore' && <RestoreView photoIds={restoreIds} />}
        {view === 'finetune' && <FinetuneView />}
        {view === 'jobs' && (
          <JobsPanel
            onShowPhotos={(ids, label) => {
              setShow({ ids, label });
              setView('library');
            }}
          />
        )}
        {view === 'settings' && <SettingsView />}
      </main>
    </div>
  );
}

/**
 * The app's settings, stored in settings.json in the data folder: the mode
 * and device restorations start with, the engine's threads and tile size,
 * and the cache's size limit (with how much it holds and a way to empty it).
 * Each change is saved at once; a refused value says why.
 */
import { useEffect, useState } from 'react';
import { useApi } from '../../api/context.js';
import { ErrorNotice } from '../../components/ui/Notice.js';
import type { Result } from '../../../electron/shared/contract/index.js';
import type { AppSettings } from '../../../electron/shared/contract/app-settings.js';
import { ExecutionDevice } from '../../../electron/shared/recipe.js';

const DEVICES = ExecutionDevice.options;

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(bytes < 10 * 2 ** 20 ? 1 : 0)} MB`;

export function AppSettingsForm({ devices }: { devices: string[] }) {
  const api = useApi();
  const [loaded, setLoaded] = useState<Result<'settings.get'> | null>(null);
  const [cache, setCache] = useState<Result<'cache.info'> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(() => {
    api.call('settings.get', {}).then(setLoaded).catch(setError);
    api.call('cache.info', {}).then(setCache).catch(() => undefined);
  }, [api]);

  const save = async (patch: Partial<AppSettings>) => {
    setError(null);
    setSaved(null);
    try {
      const r = await api.call('settings.set', patch);
      setLoaded((prev) => (prev ? { ...prev, settings: r.settings } : prev));
      setSaved(r.engineRestarted ? 'Saved; the engine restarted with it.' : patch.threads !== undefined || patch.tileSize !== undefined ? 'Saved; the engine uses it from its next start (it is busy now).' : 'Saved.');
      api.call('cache.info', {}).then(setCache).catch(() => undefined);
    } catch (e) {
      setError(e);
    }
  };

  if (!loaded) return <section className="card"><h2>Settings</h2>{error ? <ErrorNotice error={error} onDismiss={() => setError(null)} /> : <p className="muted">Loading…</p>}</section>;
  const s = loaded.settings;
  const numberField = (label: string, key: 'threads' | 'tileSize' | 'cacheLimitMB', hint: string) => (
    <label className="field">
      <span>{label}</span>
      <input
        type="number"
        aria-label={label}
        defaultValue={s[key]}
        key={`${key}-${s[key]}`}
        onBlur={(e) => {
          const v = Number(e.target.value);
          if (e.target.value.trim() !== '' && v !== s[key]) void save({ [key]: v });
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
        }}
      />
      <small className="muted">{hint}</small>
    </label>
  );
  return (
    <section className="card app-settings" aria-label="Settings">
      <h2>Settings</h2>
      <p className="muted">
        Stored in <span className="mono" data-testid="settings-file">{loaded.file}</span>
      </p>
      {loaded.problem && <div className="banner warn" role="status">{loaded.problem}</div>}
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
      {saved && <p className="muted" role="status" data-testid="settings-saved">{saved}</p>}
      <label className="field">
        <span>Default mode</span>
        <select aria-label="Default mode" value={s.defaultMode} onChange={(e) => void save({ defaultMode: e.target.value as AppSettings['defaultMode'] })}>
          <option value="fast">Fast</option>
          <option value="generative">Generative</option>
        </select>
      </label>
      <label className="field">
        <span>Device</span>
        <select aria-label="Device" value={s.device} onChange={(e) => void save({ device: e.target.value as AppSettings['device'] })}>
          {[...new Set(['cpu', ...devices.filter((d) => (DEVICES as readonly string[]).includes(d)), s.device])].map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </select>
      </label>
      <label className="field inline-check">
        <span>
          <input type="checkbox" aria-label="Find people after import" checked={s.findPeopleAfterImport} onChange={(e) => void save({ findPeopleAfterImport: e.target.checked })} /> Find people after import
        </span>
        <small className="muted">Looks for faces in newly imported photos and groups them into people, in the background (a few seconds a photo; People → Stop to pause it).</small>
      </label>
      {numberField('Threads', 'threads', '0 = one per CPU core')}
      {numberField('Tile size', 'tileSize', "Pixels; 0 = the model's own. Smaller tiles use less memory.")}
      {numberField('Cache size limit (MB)', 'cacheLimitMB', 'Full-size renditions, cropped sources and previews; thumbnails are not counted.')}
      {cache && (
        <p data-testid="cache-info">
          Cache: {mb(cache.cacheBytes)} of {mb(cache.limitBytes)}; thumbnails: {mb(cache.thumbnailsBytes)}.{' '}
          <button
            className="secondary small"
            onClick={() =>
              void api
                .call('cache.clear', {})
                .then((r) => {
                  setSaved(`Freed ${mb(r.freedBytes)}.`);
                  return api.call('cache.info', {}).then(setCache);
                })
                .catch(setError)
            }
          >
            Empty the cache
          </button>
        </p>
      )}
    </section>
  );
}

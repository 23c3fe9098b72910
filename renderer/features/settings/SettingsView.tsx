/** The settings, and about this installation: version, data folder, services, ONNX Runtime and its devices, a CPU speed check, and the catalog's backups. */
import { useCallback, useEffect, useState } from 'react';
import { useApi } from '../../api/context.js';
import { ProgressBar } from '../../components/ui/ProgressBar.js';
import { ErrorNotice } from '../../components/ui/Notice.js';
import { useJob } from '../../api/use-job.js';
import { CatalogBackups } from './CatalogBackups.js';
import type { Result } from '../../../electron/shared/contract/index.js';
import { AppSettingsForm } from './AppSettingsForm.js';

export function SettingsView() {
  const api = useApi();
  const [info, setInfo] = useState<Result<'app.info'> | null>(null);
  const [engine, setEngine] = useState<Result<'engine.info'> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const calibration = useJob();
  const [gflops, setGflops] = useState<number | null>(null);

  const refresh = useCallback(() => {
    api.call('app.info', {}).then(setInfo).catch(setError);
    api.call('engine.info', {}).then(setEngine).catch(setError);
  }, [api]);
  useEffect(() => {
    refresh();
    // Keep the services list live: a crash and restart shows up without a click.
    return api.on('worker.status', (w) => {
      setInfo((prev) => (prev ? { ...prev, workers: prev.workers.map((x) => (x.service === w.service ? w : x)) } : prev));
      if (w.service === 'engine' && w.state === 'ready') api.call('engine.info', {}).then(setEngine).catch(() => undefined);
    });
  }, [api, refresh]);

  const measure = async () => {
    setError(null);
    setGflops(null);
    try {
      setGflops((await calibration.run('engine.calibrate', { seconds: 2, size: 256 })).gflops);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <div className="settings">
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
      <section className="card">
        <h2>Restora {info?.version}</h2>
        <dl className="facts">
          <dt>Mode</dt>
          <dd data-testid="app-mode">{info?.mode ?? '…'}</dd>
          <dt>Data folder</dt>
          <dd className="mono">{info?.dataDir ?? '…'}</dd>
          <dt>Platform</dt>
          <dd>{info?.platform}</dd>
          <dt>Runtime</dt>
          <dd>Node {info?.runtime.node}{info?.runtime.electron ? `, Electron ${info.runtime.electron}` : ''}</dd>
        </dl>
      </section>
      <AppSettingsForm devices={engine?.providers ?? []} />
      <section className="card">
        <h2>Services</h2>
        <ul className="plain">
          {info?.workers.map((w) => (
            <li key={w.service}>
              <span className={`dot ${w.state}`}>{w.service}</span> {w.state}
              {w.pid ? ` (pid ${w.pid})` : ''}
              {w.restarts ? `, restarted ${w.restarts}×` : ''}
            </li>
          ))}
        </ul>
        <button className="secondary" onClick={refresh}>
          Refresh
        </button>
      </section>
      <section className="card">
        <h2>Restoration engine</h2>
        <dl className="facts">
          <dt>ONNX Runtime</dt>
          <dd>{engine?.onnxruntime ?? '…'}</dd>
          <dt>Devices</dt>
          <dd data-testid="providers">{engine?.providers.join(', ') ?? '…'}</dd>
          <dt>Threads</dt>
          <dd>{engine?.threads}</dd>
          <dt>Models</dt>
          <dd>
            {engine && engine.models.length === 0 && 'No models installed yet: the classical restorer is used.'}
            <ul className="plain">
              {engine?.models.map((m) => (
                <li key={`${m.source}-${m.id}`}>
                  {m.id} {m.version} <span className="muted">({m.task}, {m.source})</span>
                  {!m.ok && <span className="error-text"> — not usable: {m.problem}</span>}
                </li>
              ))}
            </ul>
          </dd>
        </dl>
        <button onClick={() => void measure()} disabled={!!calibration.jobId} data-testid="measure-cpu">
          Measure CPU speed
        </button>
        {calibration.jobId && (
          <>
            <ProgressBar progress={calibration.progress} label="CPU speed" />
            <button className="secondary" onClick={() => void calibration.cancel()}>
              Cancel
            </button>
          </>
        )}
        {gflops != null && <p data-testid="gflops">Matrix multiply: {gflops.toFixed(1)} GFLOP/s</p>}
      </section>
      <CatalogBackups onError={setError} />
    </div>
  );
}

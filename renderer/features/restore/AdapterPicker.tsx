/** Which personalisation (adapter) a restore uses; one that did not help on its held-out photos is marked and warned about. */
import { useEffect, useState } from 'react';
import { useApi } from '../../api/context.js';
import type { AdapterInfo } from '../../../electron/shared/contract/finetune.js';
import { verdictLabel } from '../finetune/AdapterList.js';

export function AdapterPicker({ value, onChange }: { value: string; onChange(name: string): void }) {
  const api = useApi();
  const [adapters, setAdapters] = useState<AdapterInfo[]>([]);
  useEffect(() => {
    api.call('adapters.list', {}).then((r) => setAdapters(r.adapters.filter((a) => a.compatible))).catch(() => undefined);
  }, [api]);
  if (!adapters.length) return null;
  const chosen = adapters.find((a) => a.name === value);
  return (
    <label className="field inline">
      <span>Personalisation</span>
      <select aria-label="Personalisation" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">None (base model)</option>
        {adapters.map((a) => (
          <option key={a.name} value={a.name}>
            {a.name} — {verdictLabel(a)}
          </option>
        ))}
      </select>
      {chosen && chosen.evaluation?.verdict !== 'helped' && (
        <span className="small warn-text" role="note">
          This personalisation did not beat the base model on its held-out photos.
        </span>
      )}
    </label>
  );
}

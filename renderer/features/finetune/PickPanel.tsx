/**
 * Preference picks: two restorations of one of the user's damaged photos with
 * different settings, side by side; the user says which is better, or neither.
 */
import { useState } from 'react';
import { useApi } from '../../api/context.js';
import type { Result } from '../../../electron/shared/contract/index.js';
import { ErrorNotice } from '../../components/ui/Notice.js';
import { FullSizeViewer } from '../photo/FullSizeViewer.js';

export interface Pick {
  photoId: number;
  instructionA: string;
  instructionB: string;
  choice: 'a' | 'b' | 'neither';
}
type Photo = Result<'library.listPhotos'>['items'][number];

/** Setting pairs worth comparing: how much to restore, and what to keep. */
export const PAIRS: Array<[string, string]> = [
  ['', 'restore gently'],
  ['remove the noise', 'keep the grain'],
  ['', 'restore strongly'],
  ['keep the colours', 'make it black and white'],
];

export function PickPanel({ photos, picks, onPicks }: { photos: Photo[]; picks: Pick[]; onPicks(p: Pick[]): void }) {
  const api = useApi();
  const [photoId, setPhotoId] = useState<number | null>(null);
  const [pairIndex, setPairIndex] = useState(0);
  const [full, setFull] = useState<'a' | 'b' | null>(null);
  const sample = (id: number) => ({ preview: api.mediaUrl({ kind: 'preview', id, size: 'full' }), full: api.mediaUrl({ kind: 'preview', id, size: 'full' }) });
  const [shown, setShown] = useState<{ aId: number; bId: number; photoId: number; pair: [string, string] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const pid = photoId ?? photos[0]?.id ?? null;

  const show = async () => {
    if (pid === null) return;
    const pair = PAIRS[pairIndex]!;
    setBusy(true);
    setError(null);
    try {
      const ids = await api.run('finetune.pair', { photoId: pid, instructionA: pair[0], instructionB: pair[1] });
      setShown({ ...ids, photoId: pid, pair });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const choose = (choice: Pick['choice']) => {
    if (!shown) return;
    onPicks([...picks, { photoId: shown.photoId, instructionA: shown.pair[0], instructionB: shown.pair[1], choice }]);
    setShown(null);
    setPairIndex((i) => (i + 1) % PAIRS.length);
  };
  const describe = (s: string) => (s ? `“${s}”` : 'no instruction');
  return (
    <div className="pick-panel">
      <div className="row">
        <label className="field inline">
          <span>Damaged photo</span>
          <select aria-label="Photo to compare" value={pid ?? ''} onChange={(e) => setPhotoId(Number(e.target.value))}>
            {photos.map((p) => (
              <option key={p.id} value={p.id}>
                {p.fileName}
              </option>
            ))}
          </select>
        </label>
        <label className="field inline">
          <span>Compare</span>
          <select aria-label="Settings to compare" value={pairIndex} onChange={(e) => setPairIndex(Number(e.target.value))}>
            {PAIRS.map((p, i) => (
              <option key={i} value={i}>
                {describe(p[0])} vs {describe(p[1])}
              </option>
            ))}
          </select>
        </label>
        <button className="secondary" onClick={() => void show()} disabled={busy || pid === null} data-testid="show-pair">
          {busy ? 'Restoring…' : 'Show A and B'}
        </button>
      </div>
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
      {shown && (
        <div className="pair" data-testid="pair">
          {(['a', 'b'] as const).map((k) => (
            <figure key={k}>
              <img src={api.mediaUrl({ kind: 'preview', id: k === 'a' ? shown.aId : shown.bId, size: 'full' })} alt={`Restoration ${k.toUpperCase()}`} />
              <figcaption>
                <button onClick={() => choose(k)} data-testid={`pick-${k}`}>
                  {k.toUpperCase()} is better
                </button>{' '}
                <button className="secondary small" onClick={() => setFull(k)} aria-label={`Open ${k.toUpperCase()} full size`}>
                  Full size
                </button>
              </figcaption>
            </figure>
          ))}
          <button className="secondary" onClick={() => choose('neither')} data-testid="pick-neither">
            Neither
          </button>
          {full && (
            <FullSizeViewer
              title={`Restoration ${full.toUpperCase()} beside the original`}
              before={{ preview: api.mediaUrl({ kind: 'photo', id: shown.photoId, size: 'preview' }), full: api.mediaUrl({ kind: 'photo', id: shown.photoId, size: 'full' }), label: 'Original' }}
              after={{ ...sample(full === 'a' ? shown.aId : shown.bId), label: `Restoration ${full.toUpperCase()}` }}
              onClose={() => setFull(null)}
            />
          )}
        </div>
      )}
      {picks.length > 0 && (
        <ul className="picks" data-testid="picks">
          {picks.map((p, i) => (
            <li key={i}>
              {photos.find((x) => x.id === p.photoId)?.fileName ?? `photo ${p.photoId}`}: {p.choice === 'neither' ? 'neither' : `${describe(p.choice === 'a' ? p.instructionA : p.instructionB)} preferred`}{' '}
              <button className="link" onClick={() => onPicks(picks.filter((_, j) => j !== i))} aria-label="Remove pick">
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

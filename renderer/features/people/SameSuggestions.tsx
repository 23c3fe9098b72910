/**
 * "Same person?": pairs of people whose faces look alike but were kept in two
 * groups (one person photographed over decades often is), nearest first. Merge
 * joins them; "Not the same person" is remembered, so the pair is not offered
 * again.
 */
import { useCallback, useEffect, useState } from 'react';
import { useApi } from '../../api/context.js';
import type { PersonInfo } from '../../../electron/shared/contract/people.js';

interface Pair {
  a: PersonInfo;
  b: PersonInfo;
  distance: number;
}

const label = (p: PersonInfo) => p.name ?? `Person ${p.personId}`;

export function SameSuggestions({ onError, version }: { onError(e: unknown): void; /** Changes when the people change. */ version: number }) {
  const api = useApi();
  const [pairs, setPairs] = useState<Pair[]>([]);
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => {
    api
      .call('people.suggestions', { limit: 6 })
      .then((r) => setPairs(r.pairs))
      .catch(onError);
  }, [api, onError]);
  useEffect(load, [load, version]);
  if (!pairs.length) return null;
  const act = async (f: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await f();
    } catch (e) {
      onError(e);
    } finally {
      setBusy(false);
      load();
    }
  };
  const face = (p: PersonInfo) =>
    p.coverFaceId !== null ? <img src={api.mediaUrl({ kind: 'face', id: p.coverFaceId, size: 'thumb' })} alt={`Face of ${label(p)}`} loading="lazy" /> : <span className="person-noface">?</span>;
  return (
    <section className="card same-suggestions" data-testid="same-suggestions" aria-label="Same person?">
      <h3>Same person?</h3>
      <p className="muted">These groups' faces look alike. Merge them if they are one person.</p>
      <ul>
        {pairs.map((x) => (
          <li key={`${x.a.personId}:${x.b.personId}`} data-testid="same-pair">
            <span className="pair-faces">
              {face(x.a)}
              {face(x.b)}
            </span>
            <span className="pair-names">
              {label(x.a)} and {label(x.b)}
            </span>
            <button className="small" disabled={busy} onClick={() => void act(() => api.call('people.merge', { into: x.a.name !== null || x.b.name === null ? x.a.personId : x.b.personId, from: x.a.name !== null || x.b.name === null ? x.b.personId : x.a.personId }))}>
              Merge
            </button>
            <button className="secondary small" disabled={busy} onClick={() => void act(() => api.call('people.keepApart', { a: x.a.personId, b: x.b.personId }))}>
              Not the same person
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

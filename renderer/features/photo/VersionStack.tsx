/**
 * The version stack of a photo: the original and every restoration with its
 * label, date, instruction, models and time taken. Versions can be shown,
 * renamed, made the preferred one, opened as a recipe, or deleted (after a
 * confirmation).
 */
import { useState } from 'react';
import type { VersionInfo } from '../../../electron/shared/contract/library.js';
import { formatDate } from './MetadataPanel.js';

export type Pick = 'photo' | number;

export interface VersionStackProps {
  versions: VersionInfo[];
  preferredId: number | null;
  shown: Pick[];
  onShow(p: Pick): void;
  onRename(v: VersionInfo, label: string): void;
  onPreferred(versionId: number | null): void;
  onDelete(v: VersionInfo): void;
  /** Opens the version's recipe (everything that decided it; re-run, apply to other photos). */
  onRecipe(v: VersionInfo): void;
  onRestore(): void;
}

export function VersionStack({ versions, preferredId, shown, onShow, onRename, onPreferred, onDelete, onRecipe, onRestore }: VersionStackProps) {
  const [editing, setEditing] = useState<number | null>(null);
  const [label, setLabel] = useState('');
  return (
    <section className="photo-panel" aria-label="Versions">
      <h3>
        Versions <span className="side-count">{versions.length + 1}</span>
      </h3>
      <ol className="version-list">
        <li className={shown.includes('photo') ? 'version shown' : 'version'} data-version="original">
          <div className="version-head">
            <button className="link version-name" onClick={() => onShow('photo')}>
              Original
            </button>
            {preferredId === null ? (
              <span className="badge">shown by default</span>
            ) : (
              <button className="link small" onClick={() => onPreferred(null)}>
                Prefer original
              </button>
            )}
          </div>
        </li>
        {versions.map((v) => (
          <li key={v.id} className={shown.includes(v.id) ? 'version shown' : 'version'} data-version-id={v.id}>
            <div className="version-head">
              {editing === v.id ? (
                <form
                  className="inline-name"
                  onSubmit={(e) => {
                    e.preventDefault();
                    if (label.trim()) onRename(v, label.trim());
                    setEditing(null);
                  }}
                >
                  <input
                    aria-label="Version name"
                    autoFocus
                    value={label}
                    maxLength={200}
                    onChange={(e) => setLabel(e.target.value)}
                    onKeyDown={(e) => {
                      if (e.key === 'Escape') {
                        e.stopPropagation();
                        setEditing(null);
                      }
                    }}
                  />
                  <button type="submit" className="small">
                    Save
                  </button>
                </form>
              ) : (
                <button className="link version-name" onClick={() => onShow(v.id)} title="Show this version">
                  {v.label}
                </button>
              )}
              {v.preferred && <span className="badge done">preferred</span>}
            </div>
            <div className="version-meta muted">
              {formatDate(v.createdAt)} · {v.width} × {v.height} · {v.recipe.mode} · {v.recipe.totalSeconds.toFixed(1)} s
            </div>
            {v.recipe.instruction && <div className="version-instruction">“{v.recipe.instruction}”</div>}
            <div className="version-meta muted mono">{v.recipe.models.map((m) => `${m.id}@${m.version}`).join(', ') || 'classical filters (no model)'}</div>
            <div className="version-actions">
              <button
                className="link small"
                onClick={() => {
                  setEditing(v.id);
                  setLabel(v.label);
                }}
                aria-label={`Rename ${v.label}`}
              >
                Rename
              </button>
              {!v.preferred && (
                <button className="link small" onClick={() => onPreferred(v.id)} aria-label={`Prefer ${v.label}`}>
                  Make preferred
                </button>
              )}
              <button className="link small" onClick={() => onRecipe(v)} aria-label={`Recipe of ${v.label}`}>
                Recipe…
              </button>
              <button className="link small danger-text" onClick={() => onDelete(v)} aria-label={`Delete ${v.label}`}>
                Delete
              </button>
            </div>
          </li>
        ))}
      </ol>
      {versions.length === 0 && <p className="side-hint">No restorations yet.</p>}
      <button className="secondary small" onClick={onRestore} title="R">
        Restore this photo…
      </button>
    </section>
  );
}

/**
 * A folder field: typed, or chosen with "Browse…", which walks the disk
 * through files.browse (the host lists folders; in browser mode the page has
 * no native dialog that gives paths, and the host checks the token and the
 * path like every other call).
 */
import { useCallback, useEffect, useState } from 'react';
import { useApi } from '../../api/context.js';
import type { Result } from '../../../electron/shared/contract/index.js';
import { Modal } from './Modal.js';
import { ErrorNotice } from './Notice.js';

type Listing = Result<'files.browse'>;

export interface FolderFieldProps {
  label: string;
  value: string;
  onChange(path: string): void;
  placeholder?: string;
  /** The Browse button's accessible name (default "Browse for <label>"). */
  browseLabel?: string;
  autoFocus?: boolean;
}

export function FolderField({ label, value, onChange, placeholder, browseLabel, autoFocus }: FolderFieldProps) {
  const [open, setOpen] = useState(false);
  return (
    // A div, not a label: the picker opens inside it, and clicks in it must not focus the field.
    <div className="field folder-field">
      <span>{label}</span>
      <span className="row">
        <input aria-label={label} placeholder={placeholder} value={value} autoFocus={autoFocus} onChange={(e) => onChange(e.target.value)} />
        <button type="button" className="secondary small" aria-label={browseLabel ?? `Browse for ${label.toLowerCase()}`} onClick={() => setOpen(true)}>
          Browse…
        </button>
      </span>
      {open && (
        <FolderPicker
          title={label}
          start={value.trim() || undefined}
          onClose={() => setOpen(false)}
          onPick={(p) => {
            onChange(p);
            setOpen(false);
          }}
        />
      )}
    </div>
  );
}

export function FolderPicker({ title, start, onPick, onClose }: { title: string; start?: string; onPick(path: string): void; onClose(): void }) {
  const api = useApi();
  const [listing, setListing] = useState<Listing | null>(null);
  const [error, setError] = useState<unknown>(null);
  const go = useCallback(
    (path?: string) => {
      setError(null);
      api.call('files.browse', path ? { path } : {}).then(setListing, setError);
    },
    [api],
  );
  // Opens where the field points; a typed folder that is not there opens home, and says why.
  useEffect(() => {
    api.call('files.browse', start ? { path: start } : {}).then(setListing, (e: unknown) => {
      setError(e);
      api.call('files.browse', {}).then(setListing, () => undefined);
    });
  }, [api, start]);
  const join = (name: string) => (listing!.path.endsWith('/') || listing!.path.endsWith('\\') ? `${listing!.path}${name}` : `${listing!.path}${listing!.path.includes('\\') ? '\\' : '/'}${name}`);
  return (
    <Modal title={`Choose: ${title}`} onClose={onClose} wide>
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
      {listing && (
        <div className="folder-picker" data-testid="folder-picker">
          <div className="row">
            {listing.places.map((p) => (
              <button key={p.path} type="button" className="chip" onClick={() => go(p.path)}>
                {p.label}
              </button>
            ))}
          </div>
          <div className="row">
            <button type="button" className="secondary small" disabled={!listing.parent} onClick={() => listing.parent && go(listing.parent)} aria-label="Up one folder">
              ↑ Up
            </button>
            <span className="mono" data-testid="folder-picker-path">
              {listing.path}
            </span>
            <span className="muted small">
              {listing.images} image{listing.images === 1 ? '' : 's'} here
            </span>
          </div>
          <ul className="folder-list" aria-label="Folders">
            {listing.folders.map((f) => (
              <li key={f}>
                <button type="button" className="link" onDoubleClick={() => go(join(f))} onClick={() => go(join(f))}>
                  📁 {f}
                </button>
              </li>
            ))}
            {listing.folders.length === 0 && <li className="muted small">No folders inside.</li>}
          </ul>
          {listing.truncated && <p className="muted small">Only the first folders are listed.</p>}
          <div className="modal-actions">
            <button type="button" className="secondary" onClick={onClose}>
              Cancel
            </button>
            <button type="button" onClick={() => onPick(listing.path)}>
              Use this folder
            </button>
          </div>
        </div>
      )}
    </Modal>
  );
}

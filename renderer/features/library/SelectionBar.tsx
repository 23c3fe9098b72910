/**
 * Bulk actions on the selected photos: tag, add to album, rate, favourite,
 * export, find the people in them, apply a copied recipe, remove from the library. Each is one contract call for the whole selection.
 */
import { useEffect, useState } from 'react';
import { useApi } from '../../api/context.js';
import { isCancelled } from '../../api/client.js';
import { Modal } from '../../components/ui/Modal.js';
import type { Result } from '../../../electron/shared/contract/index.js';
import { ExportManyDialog } from './ExportManyDialog.js';
import { ApplyRecipe } from '../photo/ApplyRecipe.js';
import { useCopiedRecipe } from '../photo/recipe-clipboard.js';

export type BulkDialog = 'tag' | 'album' | 'export' | 'recipe' | null;

export interface SelectionBarProps {
  ids: number[];
  dialog: BulkDialog;
  onDialog(d: BulkDialog): void;
  onRate(r: number): void;
  onFavorite(f: boolean): void;
  onRemove(): void;
  onClear(): void;
  onError(e: unknown): void;
  onDone(message: string): void;
}

export function SelectionBar({ ids, dialog, onDialog, onRate, onFavorite, onRemove, onClear, onError, onDone }: SelectionBarProps) {
  const copied = useCopiedRecipe();
  const api = useApi();
  // The job goes on in the background; People and Jobs follow it.
  const findPeople = () => {
    api.run('people.find', { photoIds: ids.slice(0, 100_000) }).catch((e: unknown) => {
      if (!isCancelled(e)) onError(e);
    });
    onDone(`Finding the people in ${ids.length} photo(s) in the background: see People or Jobs.`);
  };
  return (
    <div className="selection-bar" role="toolbar" aria-label="Selection">
      <strong data-testid="selection-count">{ids.length} selected</strong>
      <button className="secondary small" onClick={() => onDialog('tag')} title="T">
        Tag…
      </button>
      <button className="secondary small" onClick={() => onDialog('album')}>
        Add to album…
      </button>
      <span className="stars-input" role="group" aria-label="Set rating">
        {[1, 2, 3, 4, 5].map((n) => (
          <button key={n} className="link star" aria-label={`Rate ${n} star${n > 1 ? 's' : ''}`} title={`${n} (key ${n})`} onClick={() => onRate(n)}>
            ★
          </button>
        ))}
        <button className="link small" aria-label="Clear rating" title="0" onClick={() => onRate(0)}>
          ☆0
        </button>
      </span>
      <button className="secondary small" onClick={() => onFavorite(true)} title="F toggles">
        ♥ Favourite
      </button>
      <button className="secondary small" onClick={() => onFavorite(false)}>
        ♡ Unfavourite
      </button>
      <button className="secondary small" onClick={() => onDialog('export')}>
        Export…
      </button>
      <button className="secondary small" onClick={findPeople} title="Find the faces in these photos and group them into people">
        Find people
      </button>
      {copied && (
        <button className="secondary small" onClick={() => onDialog('recipe')} title={`Apply the recipe of ${copied.name}`}>
          Apply recipe…
        </button>
      )}
      <button className="secondary small danger-text" onClick={onRemove} title="Delete">
        Remove from library…
      </button>
      <button className="link small" onClick={onClear} title="Esc">
        Clear selection
      </button>
      {dialog === 'tag' && <TagDialog ids={ids} onClose={() => onDialog(null)} onError={onError} onDone={onDone} />}
      {dialog === 'album' && <AlbumDialog ids={ids} onClose={() => onDialog(null)} onError={onError} onDone={onDone} />}
      {dialog === 'export' && <ExportManyDialog ids={ids} onClose={() => onDialog(null)} onDone={onDone} />}
      {dialog === 'recipe' && copied && (
        <Modal title={`Apply the recipe of ${copied.name}`} onClose={() => onDialog(null)} wide>
          <ApplyRecipe versionId={copied.versionId} photoIds={ids} name="the recipe" />
        </Modal>
      )}
    </div>
  );
}

function splitTags(text: string): string[] {
  return [...new Set(text.split(',').map((t) => t.trim()).filter(Boolean))].slice(0, 100);
}

function TagDialog({ ids, onClose, onError, onDone }: { ids: number[]; onClose(): void; onError(e: unknown): void; onDone(m: string): void }) {
  const api = useApi();
  const [text, setText] = useState('');
  const [known, setKnown] = useState<string[]>([]);
  useEffect(() => {
    api.call('library.listTags', {}).then((r) => setKnown(r.tags.map((t) => t.name))).catch(() => undefined);
  }, [api]);
  const run = async (mode: 'add' | 'remove') => {
    const tags = splitTags(text);
    if (!tags.length) return;
    try {
      await api.call('library.tagPhotos', { photoIds: ids, add: mode === 'add' ? tags : [], remove: mode === 'remove' ? tags : [] });
      onDone(`${mode === 'add' ? 'Tagged' : 'Untagged'} ${ids.length} photo(s): ${tags.join(', ')}`);
      onClose();
    } catch (e) {
      onError(e);
    }
  };
  return (
    <Modal title={`Tag ${ids.length} photo${ids.length === 1 ? '' : 's'}`} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run('add');
        }}
      >
        <label className="field">
          <span>Tags, separated by commas</span>
          <input aria-label="Tag names" autoFocus list="known-tags" value={text} onChange={(e) => setText(e.target.value)} placeholder="e.g. family, 1930s, needs restoring" />
          <datalist id="known-tags">
            {known.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
        </label>
        <div className="modal-actions">
          <button type="button" className="secondary" disabled={!splitTags(text).length} onClick={() => void run('remove')}>
            Remove tags
          </button>
          <button type="submit" disabled={!splitTags(text).length}>
            Add tags
          </button>
        </div>
      </form>
    </Modal>
  );
}

type Albums = Result<'library.listAlbums'>['albums'];

function AlbumDialog({ ids, onClose, onError, onDone }: { ids: number[]; onClose(): void; onError(e: unknown): void; onDone(m: string): void }) {
  const api = useApi();
  const [albums, setAlbums] = useState<Albums | null>(null);
  const [name, setName] = useState('');
  useEffect(() => {
    api.call('library.listAlbums', {}).then((r) => setAlbums(r.albums)).catch(onError);
  }, [api, onError]);
  const add = async (albumId: number, albumName: string) => {
    try {
      const r = await api.call('library.addToAlbum', { albumId, photoIds: ids });
      onDone(`Added ${r.added} photo(s) to “${albumName}”${r.added < ids.length ? ` (${ids.length - r.added} were already there)` : ''}.`);
      onClose();
    } catch (e) {
      onError(e);
    }
  };
  const create = async () => {
    try {
      await api.call('library.createAlbum', { name: name.trim(), photoIds: ids });
      onDone(`Made the album “${name.trim()}” with ${ids.length} photo(s).`);
      onClose();
    } catch (e) {
      onError(e);
    }
  };
  return (
    <Modal title={`Add ${ids.length} photo${ids.length === 1 ? '' : 's'} to an album`} onClose={onClose}>
      {albums && albums.length > 0 && (
        <ul className="plain album-choices">
          {albums.map((a) => (
            <li key={a.id}>
              <button className="secondary" onClick={() => void add(a.id, a.name)}>
                {a.name} <span className="side-count">{a.photoCount}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="inline-name"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) void create();
        }}
      >
        <input aria-label="New album name" placeholder="New album name" autoFocus value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
        <button type="submit" disabled={!name.trim()}>
          Create album
        </button>
      </form>
    </Modal>
  );
}

/**
 * The library's sidebar: all photos, folders (with counts), albums (create,
 * rename, delete) and tags. Clicking an entry narrows the grid to it. Also the
 * catalog upkeep actions: check for missing originals and relink a folder.
 */
import { useEffect, useState } from 'react';
import { useApi } from '../../api/context.js';
import type { Result } from '../../../electron/shared/contract/index.js';
import { folderTree, sameScope, type Scope } from './scope.js';

type Albums = Result<'library.listAlbums'>['albums'];
type Tags = Result<'library.listTags'>['tags'];
type Folders = Result<'library.listFolders'>['folders'];

export interface SidebarProps {
  scope: Scope;
  onScope(scope: Scope): void;
  onError(e: unknown): void;
  confirm(o: { title: string; body?: string; action: string; danger?: boolean }): Promise<boolean>;
  onRelink(): void;
  onCheckFiles(): void;
}

export function LibrarySidebar({ scope, onScope, onError, confirm, onRelink, onCheckFiles }: SidebarProps) {
  const api = useApi();
  const [folders, setFolders] = useState<Folders>([]);
  const [albums, setAlbums] = useState<Albums>([]);
  const [tags, setTags] = useState<Tags>([]);
  const [newAlbum, setNewAlbum] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<{ id: number; name: string } | null>(null);

  useEffect(() => {
    const load = () => {
      api.call('library.listFolders', {}).then((r) => setFolders(r.folders)).catch(onError);
      api.call('library.listAlbums', {}).then((r) => setAlbums(r.albums)).catch(onError);
      api.call('library.listTags', {}).then((r) => setTags(r.tags)).catch(onError);
    };
    load();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = api.on('library.changed', () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        load();
      }, 300);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [api, onError]);

  const item = (s: Scope, label: string, count: number | null, extra?: { depth?: number; title?: string }) => (
    <button
      className={sameScope(scope, s) ? 'side-item active' : 'side-item'}
      aria-current={sameScope(scope, s) ? 'true' : undefined}
      style={extra?.depth ? { paddingLeft: 10 + extra.depth * 12 } : undefined}
      title={extra?.title ?? label}
      onClick={() => onScope(s)}
    >
      <span className="side-label">{label}</span>
      {count !== null && <span className="side-count">{count}</span>}
    </button>
  );

  const createAlbum = async (name: string) => {
    try {
      const { albumId } = await api.call('library.createAlbum', { name, photoIds: [] });
      setNewAlbum(null);
      onScope({ kind: 'album', albumId, name: name.trim() });
    } catch (e) {
      onError(e);
    }
  };

  const renameAlbum = async (id: number, name: string) => {
    try {
      await api.call('library.renameAlbum', { albumId: id, name });
      setRenaming(null);
      if (scope.kind === 'album' && scope.albumId === id) onScope({ kind: 'album', albumId: id, name: name.trim() });
    } catch (e) {
      onError(e);
    }
  };

  const deleteAlbum = async (id: number, name: string) => {
    if (!(await confirm({ title: `Delete the album “${name}”?`, body: 'Its photos stay in the library.', action: 'Delete album', danger: true }))) return;
    try {
      await api.call('library.deleteAlbum', { albumId: id });
      if (scope.kind === 'album' && scope.albumId === id) onScope({ kind: 'all' });
    } catch (e) {
      onError(e);
    }
  };

  return (
    <aside className="library-sidebar" aria-label="Library sidebar">
      <section>
        {item({ kind: 'all' }, 'All photos', null)}
      </section>

      <section aria-label="Albums">
        <h3>
          Albums
          <button className="link small" onClick={() => setNewAlbum('')} aria-label="New album" title="New album">
            +
          </button>
        </h3>
        {newAlbum !== null && (
          <InlineName label="New album name" initial="" onCancel={() => setNewAlbum(null)} onSubmit={createAlbum} />
        )}
        {albums.length === 0 && newAlbum === null && <p className="side-hint">No albums yet. Press + to make one, or select photos and choose “Add to album”.</p>}
        {albums.map((a) =>
          renaming?.id === a.id ? (
            <InlineName key={a.id} label="Album name" initial={a.name} onCancel={() => setRenaming(null)} onSubmit={(n) => renameAlbum(a.id, n)} />
          ) : (
            <div key={a.id} className="side-row" data-album={a.name}>
              {item({ kind: 'album', albumId: a.id, name: a.name }, a.name, a.photoCount)}
              <span className="side-actions">
                <button className="link small" title="Rename album" aria-label={`Rename album ${a.name}`} onClick={() => setRenaming({ id: a.id, name: a.name })}>
                  ✎
                </button>
                <button className="link small" title="Delete album" aria-label={`Delete album ${a.name}`} onClick={() => void deleteAlbum(a.id, a.name)}>
                  🗑
                </button>
              </span>
            </div>
          ),
        )}
      </section>

      <section aria-label="Tags">
        <h3>Tags</h3>
        {tags.length === 0 && <p className="side-hint">Select photos and press T (or “Tag…”) to tag them.</p>}
        <div className="tag-cloud">
          {tags.map((t) => (
            <button
              key={t.id}
              className={scope.kind === 'tag' && scope.tag.toLowerCase() === t.name.toLowerCase() ? 'tag-chip active' : 'tag-chip'}
              onClick={() => onScope({ kind: 'tag', tag: t.name })}
              aria-label={`Tag ${t.name}`}
              title={`${t.photoCount} photo(s)`}
            >
              {t.name} <span className="side-count">{t.photoCount}</span>
            </button>
          ))}
        </div>
      </section>

      <section aria-label="Folders">
        <h3>Folders</h3>
        {folders.length === 0 && <p className="side-hint">Folders appear here after an import.</p>}
        {folderTree(folders.map((f) => f.folder)).map((f, i) => (
          <div key={f.folder}>{item({ kind: 'folder', folder: f.folder }, f.label, folders[i]!.count, { depth: f.depth, title: f.folder })}</div>
        ))}
      </section>

      <section aria-label="Maintenance" className="side-tools">
        <h3>Files</h3>
        <button className="secondary small" onClick={onCheckFiles} title="Look for originals that were moved or deleted">
          Check for missing files
        </button>
        <button className="secondary small" onClick={onRelink} title="Find moved originals in a folder by their content">
          Relink folder…
        </button>
      </section>
    </aside>
  );
}

/** A one-line name editor: Enter saves, Escape cancels. */
export function InlineName({ label, initial, onSubmit, onCancel }: { label: string; initial: string; onSubmit(name: string): void; onCancel(): void }) {
  const [value, setValue] = useState(initial);
  return (
    <form
      className="inline-name"
      onSubmit={(e) => {
        e.preventDefault();
        if (value.trim()) onSubmit(value.trim());
      }}
    >
      <input
        aria-label={label}
        autoFocus
        value={value}
        maxLength={200}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            onCancel();
          }
        }}
      />
      <button type="submit" className="small" disabled={!value.trim()}>
        Save
      </button>
    </form>
  );
}

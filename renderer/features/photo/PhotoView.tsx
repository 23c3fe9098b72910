/**
 * The photo view, opened from the grid (double-click or Enter): the picture
 * with zoom and pan, a before/after comparison between any two of the
 * original and its versions (synced zoom and pan), the metadata, the version
 * stack and export. The preferred version is what it shows (and exports) by
 * default; O (or \) shows the original and back. Esc returns to the grid,
 * ← → move between photos.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '../../api/context.js';
import { ErrorNotice } from '../../components/ui/Notice.js';
import { useConfirm } from '../../components/ui/ConfirmDialog.js';
import type { Result } from '../../../electron/shared/contract/index.js';
import type { VersionInfo } from '../../../electron/shared/contract/library.js';
import { isTyping } from '../library/use-library-keys.js';
import { useZoom } from './zoom.js';
import { ZoomViewport, type Layer } from './ZoomViewport.js';
import { MetadataPanel } from './MetadataPanel.js';
import { PeopleInPhoto } from './PeopleInPhoto.js';
import { VersionStack, type Pick } from './VersionStack.js';
import { ExportPanel } from './ExportPanel.js';
import { RecipeDialog } from './RecipeDialog.js';
import './photo.css';

type Loaded = Result<'library.getPhoto'>;

export interface PhotoViewProps {
  photoId: number | null;
  position: { index: number; total: number };
  onClose(): void;
  onPrev(): void;
  onNext(): void;
  onRestore(photoId: number): void;
  onRemove(photoId: number): void;
  onRelink(folder: string): void;
  /** The Library's selection, for "apply this recipe to the selected photos". */
  selectedIds?: number[];
}

function parentFolder(folder: string): string {
  const i = Math.max(folder.lastIndexOf('/'), folder.lastIndexOf('\\'));
  return i > 0 ? folder.slice(0, i) : folder;
}

export function PhotoView({ photoId, position, onClose, onPrev, onNext, onRestore, onRemove, onRelink, selectedIds = [] }: PhotoViewProps) {
  const api = useApi();
  const [data, setData] = useState<Loaded | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [compare, setCompare] = useState(false);
  const [left, setLeft] = useState<Pick>('photo');
  const [right, setRight] = useState<Pick>('photo');
  /** What the single view shows: the preferred version unless the user picks another. */
  const [single, setSingle] = useState<Pick>('photo');
  const best = useRef<Pick>('photo');
  const [confirmDialog, confirm] = useConfirm();
  const [recipeOf, setRecipeOf] = useState<VersionInfo | null>(null);
  const shownFor = useRef<number | null>(null);

  const load = useCallback(() => {
    if (photoId === null) return;
    api
      .call('library.getPhoto', { photoId })
      .then((d) => {
        setData(d);
        const ids = new Set(d.versions.map((v) => v.id));
        const newest = d.versions[d.versions.length - 1]?.id ?? 'photo';
        const preferred = d.photo.preferredVersionId ?? 'photo';
        best.current = preferred;
        if (shownFor.current !== photoId) {
          // A new photo: its preferred version alone; to compare, the original on the left and the preferred (or newest) version on the right.
          shownFor.current = photoId;
          setSingle(preferred);
          setLeft('photo');
          setRight(d.photo.preferredVersionId ?? newest);
        } else {
          setSingle((v) => (v === 'photo' || ids.has(v) ? v : preferred));
          setLeft((l) => (l === 'photo' || ids.has(l) ? l : 'photo'));
          setRight((r) => (r === 'photo' || ids.has(r) ? r : d.photo.preferredVersionId ?? newest));
        }
      })
      .catch(setError);
  }, [api, photoId]);
  useEffect(load, [load]);
  useEffect(
    () =>
      api.on('library.changed', (c) => {
        if (photoId !== null && (!c.ids || c.entity === 'all' || c.ids.includes(photoId) || c.entity === 'albums')) load();
      }),
    [api, load, photoId],
  );

  const photo = data && data.photo.id === photoId ? data.photo : null;
  const versions = photo ? data!.versions : [];
  const dims = (p: Pick) => {
    const v = typeof p === 'number' ? versions.find((x) => x.id === p) : undefined;
    return v ? { w: v.width, h: v.height } : { w: photo?.width ?? 0, h: photo?.height ?? 0 };
  };
  const zoom = useZoom(dims(compare && versions.length > 0 ? left : single));
  const canCompare = versions.length > 0;
  const comparing = compare && canCompare;

  const layer = (p: Pick): Layer => {
    const v = typeof p === 'number' ? versions.find((x) => x.id === p) : undefined;
    const ref = v ? { kind: 'version' as const, id: v.id } : { kind: 'photo' as const, id: photoId ?? 1 };
    return { preview: api.mediaUrl({ ...ref, size: 'preview' }), full: api.mediaUrl({ ...ref, size: 'full' }), label: v ? v.label : 'Original' };
  };

  const act = async (f: () => Promise<unknown>) => {
    try {
      await f();
    } catch (e) {
      setError(e);
    }
  };
  const rate = (rating: number) => photoId && act(() => api.call('library.setRating', { photoIds: [photoId], rating }));
  const favorite = (fav: boolean) => photoId && act(() => api.call('library.setFavorite', { photoIds: [photoId], favorite: fav }));
  const deleteVersion = async (v: VersionInfo) => {
    if (!(await confirm({ title: `Delete the version “${v.label}”?`, body: 'Its file is deleted. The original and other versions stay.', action: 'Delete version', danger: true }))) return;
    await act(() => api.call('library.deleteVersion', { versionId: v.id }));
  };

  const keys = useRef<(e: KeyboardEvent) => void>(() => undefined);
  keys.current = (e) => {
    if (e.defaultPrevented || isTyping(e.target) || confirmDialog || recipeOf) return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    let handled = true;
    switch (e.key) {
      case 'Escape':
        onClose();
        break;
      case 'ArrowLeft':
        onPrev();
        break;
      case 'ArrowRight':
        onNext();
        break;
      case '+':
      case '=':
        zoom.zoomBy(1.25);
        break;
      case '-':
      case '_':
        zoom.zoomBy(0.8);
        break;
      case 'z':
      case 'Z':
        zoom.toggle();
        break;
      case 'c':
      case 'C':
        setCompare((c) => !c);
        break;
      case 'o':
      case 'O':
      case '\\':
        // The original is one key away, and the same key goes back.
        setSingle((v) => (v === 'photo' ? best.current : 'photo'));
        setCompare(false);
        break;
      case 'f':
      case 'F':
        if (photo) void favorite(!photo.favorite);
        break;
      case 'r':
      case 'R':
        if (photoId) onRestore(photoId);
        break;
      case 'Delete':
        if (photoId) onRemove(photoId);
        break;
      default:
        if (/^[0-5]$/.test(e.key)) void rate(Number(e.key));
        else handled = false;
    }
    if (handled) e.preventDefault();
  };
  useEffect(() => {
    const h = (e: KeyboardEvent) => keys.current(e);
    window.addEventListener('keydown', h);
    return () => window.removeEventListener('keydown', h);
  }, []);

  const pickSelect = (label: string, value: Pick, onChange: (p: Pick) => void) => (
    <label className="filter">
      <span>{label}</span>
      <select aria-label={`${label} side`} value={String(value)} onChange={(e) => onChange(e.target.value === 'photo' ? 'photo' : Number(e.target.value))}>
        <option value="photo">Original</option>
        {versions.map((v) => (
          <option key={v.id} value={String(v.id)}>
            {v.label}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <div className="photo-view" role="dialog" aria-label={photo ? `Photo ${photo.fileName}` : 'Photo'} data-testid="photo-view">
      <header className="photo-bar">
        <button className="secondary small" onClick={onClose} title="Back to the grid (Esc)">
          ← Grid
        </button>
        <button className="link" aria-label="Previous photo" disabled={position.index <= 0} onClick={onPrev} title="←">
          ‹
        </button>
        <span className="muted">
          {position.index + 1} / {position.total}
        </span>
        <button className="link" aria-label="Next photo" disabled={position.index >= position.total - 1} onClick={onNext} title="→">
          ›
        </button>
        <strong className="photo-title" data-testid="photo-title">
          {photo?.fileName ?? 'Loading…'}
        </strong>
        <span className="spacer" />
        {canCompare && (
          <button className={comparing ? 'small' : 'secondary small'} aria-pressed={comparing} onClick={() => setCompare((c) => !c)} title="C">
            Compare
          </button>
        )}
        {comparing ? pickSelect('Left', left, setLeft) : pickSelect('Show', single, setSingle)}
        {comparing && pickSelect('Right', right, setRight)}
        <span className="zoom-buttons" role="group" aria-label="Zoom">
          <button className="secondary small" aria-label="Zoom out" onClick={() => zoom.zoomBy(0.8)} title="−">
            −
          </button>
          <button className="secondary small" aria-label="Zoom in" onClick={() => zoom.zoomBy(1.25)} title="+">
            +
          </button>
          <button className={zoom.state.fit ? 'small' : 'secondary small'} onClick={zoom.fit} title="Z">
            Fit
          </button>
          <button className="secondary small" onClick={() => zoom.actual()} title="Z">
            100%
          </button>
        </span>
      </header>
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
      {photo?.missing && (
        <div className="banner error" role="alert">
          <span>
            The original file was not found at <span className="mono">{photo.folder}</span>. Restoring and full-size viewing need it.
          </span>
          <button className="secondary small" onClick={() => onRelink(parentFolder(photo.folder))}>
            Relink folder…
          </button>
        </div>
      )}
      <div className="photo-body">
        <div className="photo-stage">{photo && <ZoomViewport zoom={zoom} layers={comparing ? [layer(left), layer(right)] : [layer(single)]} />}</div>
        {photo && (
          <aside className="photo-side">
            <MetadataPanel
              photo={photo}
              onRate={(r) => void rate(r)}
              onFavorite={(f) => void favorite(f)}
              onTags={(add, remove) => void act(() => api.call('library.tagPhotos', { photoIds: [photo.id], add, remove }))}
            />
            <PeopleInPhoto photoId={photo.id} />
            <VersionStack
              versions={versions}
              preferredId={photo.preferredVersionId}
              shown={comparing ? [left, right] : [single]}
              onShow={(p) => (comparing ? setRight(p) : setSingle(p))}
              onRename={(v, label) => void act(() => api.call('library.renameVersion', { versionId: v.id, label }))}
              onPreferred={(versionId) => void act(() => api.call('library.setPreferredVersion', { photoId: photo.id, versionId }))}
              onDelete={(v) => void deleteVersion(v)}
              onRecipe={setRecipeOf}
              onRestore={() => onRestore(photo.id)}
            />
            <ExportPanel key={photo.id} photo={photo} versions={versions} initial={comparing ? right : single} />
          </aside>
        )}
      </div>
      {confirmDialog}
      {recipeOf && photo && <RecipeDialog version={recipeOf} fileName={photo.fileName} selectedIds={selectedIds} onClose={() => setRecipeOf(null)} />}
    </div>
  );
}

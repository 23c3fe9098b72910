/**
 * Restore: analysis and suggested instructions for the chosen photos, an
 * instruction, mode and fidelity, a quick preview of one region, then the
 * whole photos (one photo, or a batch listing every photo) with progress,
 * and before/after for the results. Crop, turns and straightening are a
 * recipe step chosen in their own card; a folder can be restored into
 * another. The state lives in hooks (the form, the analysis, the jobs, the
 * batch); each card is a pane.
 */
import { useCallback, useEffect, useState } from 'react';
import { useApi } from '../../api/context.js';
import { EmptyState } from '../../components/ui/Notice.js';
import type { Region } from '../../../electron/shared/contract/engine.js';
import type { ExecutionDevice } from '../../../electron/shared/recipe.js';
import { isIdentity, type ResolvedGeometry } from '../../../electron/shared/geometry.js';
import { SettingsPane } from './SettingsPane.js';
import { RegionPane } from './RegionPane.js';
import { PreviewPane } from './PreviewPane.js';
import { BeforeAfterPane } from './BeforeAfterPane.js';
import { MaskEditor } from './MaskEditor.js';
import { usePhotoAnalysis } from './use-photo-analysis.js';
import { useRestoreJobs } from './use-restore-jobs.js';
import { useBatch } from './use-batch.js';
import { BatchPane } from './BatchPane.js';
import { FolderBatchCard } from './FolderBatchCard.js';
import { CropEditor, NO_GEOMETRY } from './CropEditor.js';
import { usePhotoSize, useShapedPreview } from './use-shaped-preview.js';
import { chosenFaces, DEFAULT_FORM, faceChoices, settingsFor, type RestoreForm } from './restore-settings.js';
import './restore.css';

export function RestoreView({ photoIds }: { photoIds: number[] }) {
  const api = useApi();
  const [form, setForm] = useState<RestoreForm>(DEFAULT_FORM);
  /** The device from Settings (the form has no device choice of its own). */
  const [device, setDevice] = useState<ExecutionDevice>('cpu');
  useEffect(() => {
    let alive = true;
    api
      .call('settings.get', {})
      .then((r) => {
        if (!alive) return;
        // Settings decide how the panel starts; what the user changes here stays theirs.
        setForm((f) => (f === DEFAULT_FORM ? { ...f, mode: r.settings.defaultMode } : f));
        setDevice(r.settings.device);
      })
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [api]);
  const [region, setRegion] = useState<Region>({ x: 0.35, y: 0.25, w: 0.3, h: 0.3 });
  /** Faces the user chose to keep as they were after the identity check (boxes in the photo's pixels). */
  const [keepFaces, setKeepFaces] = useState<Array<{ x: number; y: number; w: number; h: number }>>([]);
  const [error, setError] = useState<unknown>(null);
  const onError = useCallback((e: unknown) => setError(e), []);
  const first = photoIds[0];
  /** The preview and restore repair the mask the user edited for the first photo. */
  const [editedMask, setEditedMask] = useState(false);
  useEffect(() => {
    setKeepFaces([]);
    setEditedMask(false);
  }, [first]);
  const analysis = usePhotoAnalysis(first, onError);
  const restoreJobs = useRestoreJobs(first, onError);
  const batch = useBatch(photoIds.join(','), { reattach: true });
  const [geometry, setGeometry] = useState<ResolvedGeometry>(NO_GEOMETRY);
  useEffect(() => setGeometry(NO_GEOMETRY), [first]);
  // A mask drawn on the photo as it was cropped and turned does not fit another crop.
  useEffect(() => setEditedMask(false), [geometry]);
  const size = usePhotoSize(first);
  const shaped = !isIdentity(geometry);
  const regionSource = useShapedPreview(first, shaped ? geometry : null, size, onError);

  if (first === undefined) {
    return (
      <div className="restore">
        <EmptyState title="Choose photos to restore">Select photos in the Library and press Restore (or double-click one), or restore a folder into another below.</EmptyState>
        <FolderBatchCard settings={{ mode: form.mode, ...(device !== 'cpu' ? { device } : {}) }} batch={batch} describe="With the default settings; open photos from the Library to choose an instruction and a mode first." />
        <BatchPane batch={batch} />
      </div>
    );
  }
  // Face choices name boxes of the uncropped photo: with a crop or a turn every face found is restored.
  const faces = chosenFaces(analysis.analysis, analysis.faceOn, photoIds.length !== 1, shaped ? geometry : undefined);
  const settings = {
    ...settingsFor(form, faces),
    ...(device !== 'cpu' ? { device } : {}),
    ...(shaped ? { geometry } : {}),
    ...(keepFaces.length && photoIds.length === 1 ? { keepFaces } : {}),
  };
  // A running batch drives the settings card's progress and Cancel like a single restore does.
  const jobs = batch.jobId ? { ...restoreJobs, jobId: batch.jobId, progress: batch.progress, label: 'Batch', cancel: batch.cancel } : restoreJobs;
  const last = jobs.results[jobs.results.length - 1];
  return (
    <div className="restore">
      <SettingsPane
        photoCount={photoIds.length}
        analysis={analysis}
        form={form}
        onForm={(patch) => setForm((f) => ({ ...f, ...patch }))}
        jobs={jobs}
        onPreview={() => {
          setError(null);
          void jobs.runPreview(first, settings, region, editedMask);
        }}
        onRestore={() => {
          setError(null);
          if (photoIds.length > 1) void batch.start('restore.batch', { photoIds, settings });
          else void jobs.restoreAll(photoIds, settings, editedMask);
        }}
        error={error}
        onDismissError={() => setError(null)}
      />
      <BatchPane batch={batch} />
      <div className="restore-panes">
        <CropEditor photoId={first} size={size} geometry={geometry} onChange={setGeometry} onError={onError} />
        <RegionPane
          src={regionSource?.src ?? api.mediaUrl({ kind: 'photo', id: first, size: 'preview' })}
          region={region}
          onRegion={setRegion}
          faces={faceChoices(analysis.analysis, analysis.faceOn, shaped ? geometry : undefined)}
          onToggleFace={analysis.toggleFace}
        />
        {jobs.preview && (
          <PreviewPane
            preview={jobs.preview}
            busy={!!jobs.jobId}
            onSet={(key, value) => {
              // A chip changes one setting over the words; the preview runs again with it.
              const set = { ...form.set };
              if (value) set[key] = value;
              else delete set[key];
              const next = { ...form, set };
              setForm(next);
              setError(null);
              void jobs.runPreview(first, { ...settings, ...settingsFor(next, faces) }, region, editedMask);
            }}
          />
        )}
      </div>
      {photoIds.length === 1 && (
        <MaskEditor
          key={shaped ? JSON.stringify(geometry) : 'whole'}
          photoId={first}
          src={regionSource?.src ?? api.mediaUrl({ kind: 'photo', id: first, size: 'preview' })}
          geometry={shaped ? geometry : undefined}
          instruction={form.instruction}
          useEdited={editedMask}
          onUseEdited={setEditedMask}
          onError={onError}
        />
      )}
      {last && (
        <BeforeAfterPane
          restored={last}
          onKeepFace={(face) => {
            // The identity check's one click: the same restore again, with that face as it was in the original.
            setError(null);
            const kept = [...keepFaces, { x: face.x, y: face.y, w: face.w, h: face.h }];
            setKeepFaces(kept);
            void jobs.restoreAll([last.photoId], { ...settings, keepFaces: kept }, editedMask);
          }}
        />
      )}
      <FolderBatchCard settings={settings} batch={batch} describe="With the settings above (instruction, mode, crop)." />
    </div>
  );
}

/**
 * Settings made on one photo, applied to another (a batch, "apply this
 * recipe to the selected photos", `restora restore --recipe`): the crop keeps
 * its relative place (and its ratio), and face choices, which name boxes in
 * the first photo's pixels, are dropped so every face of the other photo is
 * restored. What changed is said in plain words.
 */
import { Geometry, geometryForPhoto, isIdentity, type Size } from './geometry.js';
import type { ResolvedRestoreSettings } from './recipe.js';

export interface PhotoRef extends Size {
  photoId: number | null;
}

export function settingsForPhoto(settings: ResolvedRestoreSettings, from: PhotoRef | null, to: PhotoRef): { settings: ResolvedRestoreSettings; notes: string[] } {
  const notes: string[] = [];
  let out: ResolvedRestoreSettings = settings;
  const samePhoto = from !== null && from.photoId !== null && from.photoId === to.photoId;
  if (out.faces !== undefined && !samePhoto) {
    const { faces: _faces, ...rest } = out;
    out = rest;
    notes.push('The faces chosen were on another photo; every face found on this one is restored.');
  }
  if (out.keepFaces !== undefined && !samePhoto) {
    const { keepFaces: _kept, ...rest } = out;
    out = rest;
    notes.push('The faces kept as they were belong to another photo; this one’s faces are restored.');
  }
  if (out.geometry && !isIdentity(out.geometry) && !samePhoto) {
    const fitted = geometryForPhoto(Geometry.parse(out.geometry), from, to);
    out = { ...out, geometry: fitted.geometry };
    notes.push(...fitted.notes);
  }
  return { settings: out, notes };
}

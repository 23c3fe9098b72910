/**
 * restore.analyze: a library photo analysed as the Restore panel will
 * restore it (cropped, turned and straightened as its geometry says), with
 * the faces found kept in the library in the ORIGINAL's pixels, which do not
 * move when the user changes the crop. The analysis returned is in the
 * pixels of the picture analysed, as the restore's face choices need them.
 */
import type { FaceBox } from '../shared/contract/engine.js';
import type { Params, Result } from '../shared/contract/index.js';
import { isIdentity, originalBox, originalPoint, type ResolvedGeometry, type Size } from '../shared/geometry.js';

export interface AnalyzePhotoDeps {
  invoke(m: 'library.photoSource', p: Params<'library.photoSource'>): Promise<Result<'library.photoSource'>>;
  invoke(m: 'library.geometrySource', p: Params<'library.geometrySource'>): Promise<Result<'library.geometrySource'>>;
  invoke(m: 'engine.analyze', p: Params<'engine.analyze'>): Promise<Result<'engine.analyze'>>;
  invoke(m: 'library.storeFaces', p: Params<'library.storeFaces'>): Promise<Result<'library.storeFaces'>>;
  invoke(m: 'library.photoFaces', p: Params<'library.photoFaces'>): Promise<Result<'library.photoFaces'>>;
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/** A face found on the geometry's picture, in the original's pixels. */
export function faceInOriginal(original: Size, g: ResolvedGeometry, f: FaceBox): FaceBox {
  const b = originalBox(original, g, f);
  return {
    x: round1(b.x),
    y: round1(b.y),
    w: round1(b.w),
    h: round1(b.h),
    score: f.score,
    ...(f.descriptor ? { descriptor: f.descriptor } : {}),
    ...(f.landmarks ? { landmarks: f.landmarks.map(([x, y]) => { const p = originalPoint(original, g, { x, y }); return [round1(p.x), round1(p.y)] as [number, number]; }) } : {}),
  };
}

/** Whether a point lies inside the convex polygon `poly` (either winding). */
function inside(poly: Array<{ x: number; y: number }>, p: { x: number; y: number }): boolean {
  let sign = 0;
  for (let i = 0; i < poly.length; i++) {
    const a = poly[i]!;
    const b = poly[(i + 1) % poly.length]!;
    const cross = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
    if (cross === 0) continue;
    if (sign === 0) sign = Math.sign(cross);
    else if (Math.sign(cross) !== sign) return false;
  }
  return true;
}

/**
 * The faces to keep for the whole photo after analysing the part `area` (a
 * polygon in the original's pixels) of it: those found there, and those stored
 * before whose centre lies outside it (a crop to one face does not forget the others).
 */
export function mergeFaces(stored: FaceBox[] | null, found: FaceBox[], area: Array<{ x: number; y: number }>): FaceBox[] {
  const outside = (stored ?? []).filter((f) => !inside(area, { x: f.x + f.w / 2, y: f.y + f.h / 2 }));
  return [...found, ...outside].sort((a, b) => b.w * b.h - a.w * a.h);
}

export async function analyzePhoto(p: { photoId: number; geometry?: ResolvedGeometry | undefined }, deps: AnalyzePhotoDeps): Promise<Result<'engine.analyze'>> {
  const original = await deps.invoke('library.photoSource', { photoId: p.photoId });
  const shaped = p.geometry && !isIdentity(p.geometry) ? p.geometry : null;
  const source = shaped ? await deps.invoke('library.geometrySource', { photoId: p.photoId, geometry: shaped }) : original;
  const analysis = await deps.invoke('engine.analyze', { input: source.path, descriptors: true });
  // What was found is kept: the Faces filter and the photo view read it from the library.
  if (analysis.facesDetected) {
    let faces = analysis.faces;
    if (shaped) {
      const area = [
        [0, 0],
        [analysis.width, 0],
        [analysis.width, analysis.height],
        [0, analysis.height],
      ].map(([x, y]) => originalPoint(original, shaped, { x: x!, y: y! }));
      const before = await deps.invoke('library.photoFaces', { photoId: p.photoId });
      faces = mergeFaces(before.faces, analysis.faces.map((f) => faceInOriginal(original, shaped, f)), area).slice(0, 500);
    }
    await deps.invoke('library.storeFaces', { photoId: p.photoId, faces });
  }
  // Descriptors are for the library's people; the panel shows boxes.
  return { ...analysis, faces: analysis.faces.map(({ descriptor: _d, ...f }) => f) };
}

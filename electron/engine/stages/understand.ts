/**
 * Stage 3, understand: which faces the instruction is about, how it splits
 * between them and the rest of the photo, and the restorer each part gets
 * (the models read the instruction and the photo here).
 */
import type { ResolvedRestoreSettings } from '../../shared/recipe.js';
import type { Face, PhotoView, PickedRestorer, PipelineTools } from '../types.js';
import type { DecodedImage } from '../pipeline/image-io.js';
import type { Region } from '../../shared/contract/engine.js';
import { regionRect, type DecodedPhoto } from './decode.js';
import { readRegion } from '../pipeline/image-buffer.js';
import { splitInstruction, type SplitInstruction } from '../semantic/instruction-split.js';
import { toneThumbnail } from '../semantic/tone.js';
import { chosenFaces, facesInRegion, keptFaces, restorableFaces, scaleFace } from '../face-stage.js';

export interface Understood {
  parts: SplitInstruction;
  faces: Face[];
  /** Where restoration applies: the words' scope when faces were found, otherwise 'all'. */
  scope: SplitInstruction['scope'];
  /** The whole photo's restorer, chosen for the global part of the instruction. */
  global: PickedRestorer;
  /** The faces' restorer: `global` itself when the face part reads the same; null when the faces keep their original pixels (or there are none). */
  face: PickedRestorer | null;
}

/** Whether to look for faces: a detector is available and the user did not deselect them all. */
export function wantsFaces(settings: ResolvedRestoreSettings, tools: PipelineTools): boolean {
  return !!tools.findFaces && (settings.faces === undefined || settings.faces.length > 0);
}

/**
 * The faces the face pass restores: those of the whole photo the user chose (the analysis's faces, so a
 * preview and the restore treat the same faces), that the pass can help, in the pixels of the image being
 * restored (a region of the photo for a preview); and apart, the faces the user keeps as they were. None,
 * with a notice, when detection fails (the photo is then restored as one).
 */
export async function lookForFaces(
  photo: DecodedPhoto,
  input: string,
  region: Region | undefined,
  settings: ResolvedRestoreSettings,
  tools: PipelineTools,
  notices: string[],
): Promise<{ restore: Face[]; keep: Face[] }> {
  if (!wantsFaces(settings, tools) && !settings.keepFaces?.length) return { restore: [], keep: [] };
  if (!tools.findFaces) return { restore: [], keep: [] };
  try {
    const found = await tools.findFaces(input);
    const { width, height } = photo.fullSize;
    // The analysis reads the file's header for its size; the decoded photo is the same size unless the file lies.
    const k = found.width > 0 ? width / found.width : 1;
    const all = k === 1 ? found.faces : found.faces.map((f) => scaleFace(f, k));
    const area = region ? regionRect(width, height, region) : { x: 0, y: 0, w: width, h: height };
    const restore = wantsFaces(settings, tools) ? restorableFaces(facesInRegion(chosenFaces(all, settings), area)) : [];
    return { restore, keep: facesInRegion(keptFaces(all, settings), area) };
  } catch (err) {
    notices.push(`Face detection failed (${(err as Error).message}); the whole photo was restored as one.`);
    return { restore: [], keep: [] };
  }
}

export async function understand(image: DecodedImage, faces: Face[], settings: ResolvedRestoreSettings, tools: PipelineTools): Promise<Understood> {
  const parts = splitInstruction(settings.instruction);
  const scope = faces.length > 0 ? parts.scope : 'all';
  // The global part steers the whole photo; with no global words, the image's own cues decide.
  const globalText = faces.length > 0 ? parts.global : settings.instruction;
  const view = photoView(image);
  const global = await tools.pickRestorer({ ...settings, instruction: globalText }, view);
  let face: PickedRestorer | null = null;
  if (faces.length > 0 && !parts.keepFaces && scope !== 'background') {
    const faceText = parts.faces || parts.global;
    face = faceText === globalText ? global : await tools.pickRestorer({ ...settings, instruction: faceText }, view);
  }
  return { parts, faces, scope, global, face };
}

/**
 * What the models read of the photo before restoring it: a float copy of its middle, enough for the
 * cue encoder's central crop, and a small copy of all of it for the tone model (made on first use).
 */
function photoView(img: DecodedImage): PhotoView {
  const w = Math.min(img.width, 1024), h = Math.min(img.height, 1024);
  const x = Math.floor((img.width - w) / 2), y = Math.floor((img.height - h) / 2);
  const thumbs = new Map<number, Float32Array>();
  const thumb = (size: number) => thumbs.get(size) ?? thumbs.set(size, toneThumbnail(img.rgb8, img.width, img.height, size)).get(size)!;
  return { rgb: readRegion(img.rgb8, img.width, { x, y, w, h }), width: w, height: h, thumb };
}

/**
 * Stage 3, understand: the instruction read once by the parser (with the
 * user's edits), which faces it is about, its scope, and the restorer each
 * pass gets (the models read the canonical sentence and the photo here); then
 * every setting of each pass, from the words, the photo or the defaults, and
 * the explicit operations that make the stated ones certain (steering/).
 */
import type { ResolvedRestoreSettings } from '../../shared/recipe.js';
import type { Face, PhotoView, PickedRestorer, PipelineTools } from '../types.js';
import type { DecodedImage } from '../pipeline/image-io.js';
import type { Region } from '../../shared/contract/engine.js';
import { regionRect, type DecodedPhoto } from './decode.js';
import { readRegion } from '../pipeline/image-buffer.js';
import type { InstructionPlan } from '../../shared/instructions/plan.js';
import { readInstruction } from '../../node/instruction-reader.js';
import type { SlotName, SlotSettings } from '../../shared/instructions/slots.js';
import { fullReadings, passSteering } from '../steering/readings.js';
import { measureNoise, steerPlan, type SteerPlan } from '../steering/steer.js';
import type { NoiseLevels } from '../steering/texture.js';
import { toneThumbnail } from '../semantic/tone.js';
import { chosenFaces, facesInRegion, keptFaces, restorableFaces, scaleFace } from '../face-stage.js';

export type Scope = 'all' | 'faces' | 'background';

export interface Understood {
  /** The parser's reading of the words and edits, per pass (shared/instructions/plan.ts). */
  instruction: InstructionPlan;
  faces: Face[];
  /** Where restoration applies: the words' scope when faces were found, otherwise 'all'. */
  scope: Scope;
  /**
   * "Only the faces" where the faces found are too small (or too uncertain) for the face pass: their areas, restored
   * by the whole photo's restorer, are all that changes (stages/restore.ts). Empty otherwise.
   */
  faceAreas: Face[];
  /** Faces too small for the face pass whose areas keep their original pixels ("keep the faces as they are", "only the background"). */
  keptAreas: Face[];
  /** The faces keep their original pixels: "only the background", or "keep the faces as they are" with no other wish for them. */
  keepFaces: boolean;
  /** "Keep the faces as they are" while the faces have wishes of their own: they keep only part of the restorer's change. */
  keepIdentity: boolean;
  /** The whole photo's restorer. */
  global: PickedRestorer;
  /** The faces' restorer: `global` itself when the faces' settings read the same; null when the faces keep their original pixels (or there are none). */
  face: PickedRestorer | null;
  /** Every setting of each pass and the explicit operations that follow each tile (the steer stage applies them). */
  steering: {
    levels: NoiseLevels;
    readings: { all: SlotSettings; faces?: SlotSettings };
    photo: SteerPlan;
    faces: SteerPlan | null;
  };
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
): Promise<{ restore: Face[]; keep: Face[]; small: Face[] }> {
  if (!wantsFaces(settings, tools) && !settings.keepFaces?.length) return { restore: [], keep: [], small: [] };
  if (!tools.findFaces) return { restore: [], keep: [], small: [] };
  try {
    const found = await tools.findFaces(input);
    const { width, height } = photo.fullSize;
    // The analysis reads the file's header for its size; the decoded photo is the same size unless the file lies.
    const k = found.width > 0 ? width / found.width : 1;
    const all = k === 1 ? found.faces : found.faces.map((f) => scaleFace(f, k));
    const area = region ? regionRect(width, height, region) : { x: 0, y: 0, w: width, h: height };
    const chosen = wantsFaces(settings, tools) ? facesInRegion(chosenFaces(all, settings), area) : [];
    const restore = restorableFaces(chosen);
    return { restore, keep: facesInRegion(keptFaces(all, settings), area), small: chosen.filter((f) => !restore.includes(f)) };
  } catch (err) {
    notices.push(`Face detection failed (${(err as Error).message}); the whole photo was restored as one.`);
    return { restore: [], keep: [], small: [] };
  }
}

/** What understand() is told besides the photo, its settings and the tools. */
export interface UnderstandContext {
  /** The faces the face pass restores. */
  faces?: Face[];
  /** Faces found (and chosen) that the face pass cannot help: under MIN_FACE_PX or uncertain. */
  small?: Face[];
  /** The damage settings the repair stage repaired (stages/steer.ts repairedSettings): the restorer is not told of them. */
  repaired?: ReadonlySet<SlotName>;
  /** Where notes for the user go (the version's notices). */
  notices?: string[];
}

export async function understand(
  image: DecodedImage,
  settings: ResolvedRestoreSettings,
  tools: PipelineTools,
  { faces = [], small = [], repaired = new Set(), notices = [] }: UnderstandContext = {},
): Promise<Understood> {
  // One reading of the words (and the user's edits) for every stage: parser → settings per pass.
  const instruction = readInstruction(settings.instruction, settings.set ?? {});
  const asked = (instruction.stated.global.scope?.value ?? 'all') as Scope;
  // "Only the faces" with faces too small for the face pass still means only the faces: their areas alone are restored.
  const faceAreas = asked === 'faces' && faces.length === 0 ? small : [];
  // "Only the background" or "keep the faces as they are" (with no other wish for them) keep the small faces' areas too.
  const keepIdentity = instruction.stated.global.identity?.value === 'keep';
  const keepAsked = asked === 'background' || (keepIdentity && !instruction.facesDiffer);
  const keptAreas = keepAsked ? small : [];
  const scope = faces.length > 0 || faceAreas.length > 0 || (asked === 'background' && keptAreas.length > 0) ? asked : 'all';
  const theFaces = (n: number) => (n === 1 ? 'The face found is' : `The ${n} faces found are`);
  if (faceAreas.length > 0) {
    notices.push(`${theFaces(faceAreas.length)} too small or uncertain for the face pass: only ${faceAreas.length === 1 ? 'its area was' : 'their areas were'} restored, by the photo's restorer, and the rest left as it was.`);
  } else if (keptAreas.length > 0) {
    notices.push(`${theFaces(keptAreas.length)} too small or uncertain for the face pass: ${keptAreas.length === 1 ? 'its area was' : 'their areas were'} kept as ${keptAreas.length === 1 ? 'it was' : 'they were'}.`);
  } else if (asked !== 'all' && faces.length === 0 && wantsFaces(settings, tools)) {
    notices.push(`No faces were found, so “${asked === 'faces' ? 'only the faces' : 'only the background'}” could not apply: the whole photo was restored.`);
  }
  const view = photoView(image);
  // The photo's noise, measured once: the explicit operations' thresholds scale with it on every tile.
  const levels = measureNoise(view.rgb, view.width, view.height);
  const globalPass = passSteering(instruction, 'global', repaired);
  const global = await tools.pickRestorer(settings, view, globalPass);
  const decoded = global.understanding?.values ?? {};
  const readings: Understood['steering']['readings'] = { all: fullReadings(globalPass.stated, decoded, global.toneDecision, levels) };

  // "Keep the faces as they are" with nothing else asked of the faces: they keep their original pixels.
  // With wishes of their own ("sharpen the faces but keep who they are") they are restored, then pulled back.
  const keepFaces = scope === 'background' || (keepIdentity && !instruction.facesDiffer);
  let face: PickedRestorer | null = null;
  let facePlan: SteerPlan | null = null;
  if (faces.length > 0 && !keepFaces) {
    // The faces' own settings ("sharpen the faces") get their own pass; otherwise the photo's reading is reused.
    const facePass = passSteering(instruction, 'faces', repaired);
    // The face restorer, when one is installed, restores the aligned crops under the same reading.
    face = instruction.facesDiffer ? await tools.pickRestorer(settings, view, facePass, 'faces') : ((await global.forFaces?.()) ?? global);
    const faceDecoded = face.understanding?.values ?? decoded;
    if (instruction.facesDiffer) readings.faces = fullReadings(facePass.stated, faceDecoded, face.toneDecision, levels);
    facePlan = steerPlan(readings.faces ?? readings.all, faceDecoded, levels);
  }
  return { instruction, faces, scope, faceAreas, keptAreas, keepFaces, keepIdentity, global, face, steering: { levels, readings, photo: steerPlan(readings.all, decoded, levels), faces: facePlan } };
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

/**
 * The learned restorer as a tile strategy: the integrator turns the
 * instruction and the photo's cues into latent queries once per photo, then
 * every tile runs through the restorer with those same queries.
 */
import type { ResolvedRestoreSettings } from '../shared/recipe.js';
import { RestoraError } from '../shared/errors.js';
import { ort } from './ort.js';
import type { RegisteredModel } from '../node/model-registry.js';
import type { SessionCache, LoadedModel } from './session-cache.js';
import { SemanticIntegrator, type Understanding } from './semantic/integrator.js';
import type { PassSteering, TileRestorer } from './types.js';
import { chwToHwc, hwcToChw } from './pipeline/image-buffer.js';
import { applyTone, toneThumbnail, ToneEstimator } from './semantic/tone.js';
import { decideTone, type ToneDecision } from './semantic/tone-policy.js';
import { readToneWords, toneWordsFrom } from './semantic/tone-words.js';
import { raiseAskedDamage } from '../shared/instructions/plan.js';
import { chosenTile } from './pipeline/tile-setting.js';

export interface ModelSet {
  cue: RegisteredModel;
  integrator: RegisteredModel;
  restorer: RegisteredModel;
  /**
   * The learned tone model: the one the restorer was trained behind (its manifest's `preprocess.tone`), or
   * (models 2, whose restorer keeps tone) any installed one, used only when the instruction asks for colour.
   */
  tone?: RegisteredModel;
  /**
   * The face restorer (task `face-restorer`): the restorer fine-tuned on aligned faces, steered by the same
   * queries; the face pass runs it on each aligned face crop. Only one that reads the restorer's queries and
   * expects the same input (manifest `preprocess`) is taken.
   */
  face?: RegisteredModel;
}

function preprocess(restorer: RegisteredModel): { tone?: unknown; restorerTokens?: unknown } | undefined {
  return (restorer.manifest as Record<string, unknown> | null)?.preprocess as { tone?: unknown; restorerTokens?: unknown } | undefined;
}

/** The id of the tone model a restorer expects its input to have passed through, if any. */
export function toneModelId(restorer: RegisteredModel): string | null {
  const pre = preprocess(restorer);
  return typeof pre?.tone === 'string' ? pre.tone : null;
}

/**
 * Slot values the restorer is steered with once the tone model has corrected its input (manifest
 * `preprocess.restorerTokens`, e.g. { fade: 'off', cast: 'keep' }: the colour is done, leave it).
 */
export function restorerTokens(restorer: RegisteredModel): Record<string, string> {
  const t = preprocess(restorer)?.restorerTokens;
  if (!t || typeof t !== 'object') return {};
  return Object.fromEntries(Object.entries(t as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/**
 * The models the fast pipeline needs, if all are present with valid manifests; a user's model wins over a shipped one.
 * A restorer trained on tone-corrected input is only usable with its tone model.
 */
export function findModelSet(models: RegisteredModel[]): ModelSet | null {
  const pick = (task: string) => models.find((m) => m.ok && m.source === 'user' && m.manifest?.task === task) ?? models.find((m) => m.ok && m.manifest?.task === task);
  const cue = pick('cue-encoder'), integrator = pick('integrator'), restorer = pick('restorer');
  if (!cue || !integrator || !restorer) return null;
  const face = [pick('face-restorer'), models.find((m) => m.ok && m.source === 'shipped' && m.manifest?.task === 'face-restorer')].find((f) => f && facesFit(f, restorer));
  const withFace = face ? { face } : {};
  const toneId = toneModelId(restorer);
  if (!toneId) {
    const tone = pick('tone');
    return tone ? { cue, integrator, restorer, tone, ...withFace } : { cue, integrator, restorer, ...withFace };
  }
  const tone = models.find((m) => m.ok && m.id === toneId && m.manifest?.task === 'tone');
  return tone ? { cue, integrator, restorer, tone, ...withFace } : null;
}

/** A face restorer goes with a restorer when it reads the same queries and expects the same input. */
export function facesFit(face: RegisteredModel, restorer: RegisteredModel): boolean {
  const shape = (m: RegisteredModel) => JSON.stringify(m.manifest?.inputs?.find((i) => i.name === 'queries')?.shape ?? null);
  return shape(face) !== 'null' && shape(face) === shape(restorer) && JSON.stringify(preprocess(face) ?? null) === JSON.stringify(preprocess(restorer) ?? null);
}

/** Sets to try in order: with the user's models, then the shipped ones alone (if a user model turns out broken). */
export function modelSetCandidates(models: RegisteredModel[]): ModelSet[] {
  const sets = [findModelSet(models), findModelSet(models.filter((m) => m.source === 'shipped'))].filter((s): s is ModelSet => !!s);
  return sets.filter((s, i) => sets.findIndex((t) => t.cue === s.cue && t.integrator === s.integrator && t.restorer === s.restorer && t.face === s.face) === i);
}

/** The models that read a photo before the restorer does. */
export interface PhotoReader {
  integrator: SemanticIntegrator;
  tone: ToneEstimator | null;
  /** Slots fixed in the restorer's queries once the tone model has corrected its input. */
  restorerTokens: Record<string, string>;
}

export async function loadIntegrator(
  cache: SessionCache,
  set: ModelSet,
  settings: ResolvedRestoreSettings,
): Promise<PhotoReader & { loaded: LoadedModel[] }> {
  const [cue, integ, tone] = await Promise.all([
    cache.get(set.cue, settings.device),
    cache.get(set.integrator, settings.device),
    set.tone ? cache.get(set.tone, settings.device) : Promise.resolve(null),
  ]);
  return {
    integrator: new SemanticIntegrator(cue, integ),
    tone: tone ? new ToneEstimator(tone) : null,
    restorerTokens: tone ? restorerTokens(set.restorer) : {},
    loaded: [cue, integ, ...(tone ? [tone] : [])],
  };
}

/**
 * What the readers make of a photo and an instruction: the understanding (tokens for the recipe, queries for
 * the tone model), the tone stage's decision (one colour matrix for the whole photo, from a copy of all of it
 * when the caller has one, or none: tone-policy.ts) and the queries that steer the restorer, decoded again
 * with restorerTokens fixed once the colour is done. With `steering` (the instruction as the parser read it),
 * the integrator reads the canonical sentence with the stated slots fixed, damage asked to be fixed is at
 * least "low", and the tone stage follows the stated tone and fading (edits included). Where the repair stage
 * or the "leave" operation owns the physical damage stated (`steering.restorer`), the restorer's queries are
 * decoded from the rest of the sentence; the understanding shown is still the whole sentence's.
 */
export async function readPhoto(
  reader: PhotoReader,
  image: { rgb: Float32Array; width: number; height: number; thumb?: (size: number) => Float32Array },
  instruction: string,
  steering?: PassSteering,
): Promise<{ understanding: Understanding; matrix: Float32Array | null; steering: Understanding; tone: ToneDecision }> {
  const { integrator, tone: model, restorerTokens: force } = reader;
  const text = steering ? steering.canonical : instruction;
  let stated = steering?.force ?? {};
  const cues = await integrator.readCues(image.rgb, image.width, image.height);
  const read = (sentence: string, force: Record<string, string>) => integrator.understand(image.rgb, image.width, image.height, sentence, force, cues);
  let understanding = await read(text, stated);
  const raise = steering ? raiseAskedDamage(steering.stated, understanding.values) : {};
  if (Object.keys(raise).length) {
    stated = { ...stated, ...raise };
    understanding = await read(text, stated);
  }
  const size = model?.size ?? 128;
  const thumb = image.thumb?.(size) ?? toneThumbnail(image.rgb, image.width, image.height, size);
  const decided = understanding;
  const tone = await decideTone(
    {
      instruction: text,
      thumb,
      decoded: decided.values,
      learned: model ? () => model.estimate(thumb, decided.queries, decided.K, decided.dq) : null,
    },
    steering ? toneWordsFrom(steering.stated) : readToneWords(instruction),
  );
  const colourDone = tone.matrix ? force : {};
  let steer = understanding;
  if (steering?.restorer) {
    // The physical damage stated is the repair stage's (or the "leave" operation's): the restorer reads the rest.
    const r = steering.restorer;
    const first = await read(r.canonical, { ...r.force, ...colourDone });
    const raised = raiseAskedDamage(r.stated, first.values);
    steer = Object.keys(raised).length ? await read(r.canonical, { ...r.force, ...raised, ...colourDone }) : first;
  } else if (Object.keys(colourDone).length) steer = await read(text, { ...stated, ...colourDone });
  return { understanding, matrix: tone.matrix, steering: steer, tone };
}

/** A personalisation adapter to run instead of the plain restorer: the adapter graph plus its values. */
export interface AppliedAdapter {
  name: string;
  graph: RegisteredModel;
  values: Float32Array;
  valuesSha256: string;
}

export async function modelTileRestorer(
  cache: SessionCache,
  set: ModelSet,
  settings: ResolvedRestoreSettings,
  image: { rgb: Float32Array; width: number; height: number; thumb?: (size: number) => Float32Array },
  adapter: AppliedAdapter | null = null,
  steering?: PassSteering,
  role: 'photo' | 'faces' = 'photo',
): Promise<ModelTileRestorer> {
  const { loaded, ...reader } = await loadIntegrator(cache, set, settings);
  // The faces' pass runs the face restorer when one goes with this restorer (a personalisation adapter is
  // trained on the restorer, so with one the faces keep the restorer it was trained on).
  const faceNet = !adapter && set.face ? set.face : null;
  const network = role === 'faces' && faceNet ? faceNet : set.restorer;
  const restorer = await cache.get(adapter ? adapter.graph : network, settings.device);
  const adapterFeed: Record<string, ort.Tensor> = adapter ? { adapter: new ort.Tensor('float32', adapter.values, [adapter.values.length]) } : {};
  // The same matrix for every tile; the restorer is steered by the queries that say the colour is done.
  const { understanding, matrix, steering: steered, tone } = await readPhoto(reader, image, settings.instruction, steering);
  const queries = new ort.Tensor('float32', steered.queries, [1, steered.K, steered.dq]);
  const on = (net: RegisteredModel, session: LoadedModel): ModelTileRestorer => {
    // Settings' tile size, when one is set, over the model's own (smaller tiles use less memory).
    const tile = chosenTile(net.manifest?.tile ?? { size: 256, overlap: 32, multiple: 8 });
    const notices = [...new Set([...loaded, session].map((l) => l.fallbackMessage).filter((m): m is string => !!m))];
    return {
      models: [
        // the learned tone model is named only when it ran (the instruction asked for the colours)
        ...[set.cue, set.integrator, ...(set.tone && tone.learned ? [set.tone] : []), net, ...(adapter ? [adapter.graph] : [])].map((m) => ({ id: m.id, version: m.manifest!.version, sha256: m.manifest!.sha256 })),
        ...(adapter ? [{ id: `adapter:${adapter.name}`.slice(0, 100), version: '1', sha256: adapter.valuesSha256 }] : []),
      ],
      semanticTokens: understanding.tokens,
      provider: session.provider,
      tileSize: tile.size,
      overlap: tile.overlap,
      understanding,
      notices,
      queries: { data: steered.queries, K: steered.K, dq: steered.dq },
      tone: matrix,
      toneDecision: tone,
      restorerTokens: steered === understanding ? null : steered.tokens,
      async restoreTile(rgb, w, h) {
        const plane = w * h;
        if (matrix) rgb = applyTone(Float32Array.from(rgb), matrix);
        const out = await session.session.run({ image: new ort.Tensor('float32', hwcToChw(rgb, plane), [1, 3, h, w]), queries, ...adapterFeed });
        const res = out.restored;
        if (!res || res.dims[2] !== h || res.dims[3] !== w) throw new RestoraError('Internal', `Restorer ${net.id} returned ${res?.dims.join('×')} for a ${w}×${h} tile`);
        return chwToHwc(res.data as Float32Array, plane, true);
      },
    };
  };
  const picked = on(network, restorer);
  if (role === 'photo' && faceNet) {
    // The same reading of the photo, the face restorer behind it; a face restorer that will not load leaves
    // the faces to the restorer, and says so.
    picked.forFaces = async () => {
      try {
        return on(faceNet, await cache.get(faceNet, settings.device));
      } catch (err) {
        return { ...picked, notices: [...picked.notices, `The face restorer ${faceNet.id} could not be used (${(err as Error).message}); the faces were restored with the photo's restorer.`] };
      }
    };
  }
  return picked;
}

export type ModelTileRestorer = TileRestorer & {
  understanding: Understanding;
  notices: string[];
  queries: { data: Float32Array; K: number; dq: number };
  tone: Float32Array | null;
  toneDecision: ToneDecision;
  restorerTokens: string[] | null;
  /** The faces' restorer for this same reading: the face restorer, when one goes with the restorer. */
  forFaces?: () => Promise<ModelTileRestorer>;
};

/**
 * The instructions benchmark's hand-written pairs: two contrasting instructions, the property that
 * should tell them apart, and which should be higher. Phrased as users write, not as the training
 * generator does. `photos`: which photos a pair runs on ('all'; 'faces': photos with faces found;
 * 'toned': photos with some colour (sepia, tints, colour), since grey prints have no colour to keep or take;
 * 'colour': photos with colours beyond one tint (faded colour, hand-tinted), since a sepia print has no other colours to bring back;
 * 'jpeg': 8-aligned crops of JPEG originals, so their block grid is the file's).
 */
import * as m from './measures.js';

export interface Pair {
  property: string;
  a: string;
  b: string;
  /** The measure of a should be higher ('>') or lower ('<') than b's. */
  dir: '>' | '<';
  measure: m.Measure;
  measureName: string;
  photos: 'all' | 'faces' | 'toned' | 'colour' | 'jpeg';
}

const P = (property: string, a: string, dir: '>' | '<', b: string, measure: m.Measure, measureName: string, photos: Pair['photos'] = 'all'): Pair => ({ property, a, b, dir, measure, measureName, photos });

export const PAIRS: Pair[] = [
  P('grain', 'keep the film grain', '>', 'get rid of all the grain', m.fineEnergy, 'fine-band energy'),
  P('grain', "don't touch the grain", '>', 'smooth out the grain', m.fineEnergy, 'fine-band energy'),
  P('grain', 'leave the grain as it is', '>', 'reduce the grain a little', m.fineEnergy, 'fine-band energy'),
  P('grain', 'reduce the grain a little', '>', 'remove the grain completely', m.fineEnergy, 'fine-band energy'),
  P('grain', 'remove the scratches but keep the grain', '>', 'remove the scratches and the grain', m.fineEnergy, 'fine-band energy'),
  P('sharpness', 'make everything crisp and sharp', '>', 'keep it soft, no sharpening', m.edgeEnergy, 'edge-band energy'),
  P('sharpness', 'sharpen it', '>', 'soften it a little', m.edgeEnergy, 'edge-band energy'),
  P('sharpness', 'make it crisper', '>', 'restore it', m.edgeEnergy, 'edge-band energy'),
  P('blur', 'fix the blur', '>', 'leave the blur as it is', m.edgeEnergy, 'edge-band energy'),
  P('tone', 'keep the warm sepia tone', '>', 'make it neutral black and white', m.chroma, 'colourfulness', 'toned'),
  P('tone', 'make it warmer', '>', 'make it cooler', m.warmth, 'warmth (R−B)'),
  P('tone', 'make it warmer', '>', 'keep the tone as it is', m.warmth, 'warmth (R−B)'),
  P('tone', 'keep the colours as they are', '>', 'convert to greyscale', m.chroma, 'colourfulness', 'toned'),
  // Tone "restore" (faded colour brought back) and "cool", each against keeping the tone; their own properties so
  // `--only colour,coolness` runs them alone.
  P('colour', 'bring back the faded colours', '>', 'keep the colours as they are', m.colourBeyondTint, 'colour beyond the tint', 'colour'),
  P('colour', 'restore the original colours', '>', "don't change the colours", m.colourBeyondTint, 'colour beyond the tint', 'colour'),
  P('coolness', 'make it cooler', '<', 'keep the tone as it is', m.warmth, 'warmth (R−B)'),
  P('coolness', 'give it a cold blue look', '<', 'leave the tones alone', m.warmth, 'warmth (R−B)'),
  P('cast', 'fix the colour cast', '<', 'keep the colour cast', m.chroma, 'colourfulness', 'toned'),
  P('cast', 'remove the yellow tint', '<', "don't change the tint", m.chroma, 'colourfulness', 'toned'),
  P('fading', 'fix the fading', '>', 'leave the fading', m.contrast, 'contrast (luma std)'),
  P('fading', 'boost the contrast', '>', "don't change the contrast", m.contrast, 'contrast (luma std)'),
  P('strength', 'as strongly as possible', '>', 'just a light touch', m.meanChange, 'mean change'),
  P('strength', 'go all out', '>', 'be conservative', m.meanChange, 'mean change'),
  P('strength', 'restore it gently', '<', 'restore it', m.meanChange, 'mean change'),
  P('scope', 'only fix the faces', '>', 'only fix the background', m.faceFocus, 'face vs rest change', 'faces'),
  P('scope', 'repair the whole picture', '>', 'just the faces please', m.outsideChange, 'change outside faces', 'faces'),
  P('scope', 'sharpen the faces but leave the background soft', '>', 'soften the faces but sharpen the background', m.faceEdgeBalance, 'face vs rest edges', 'faces'),
  P('identity', 'keep the faces exactly as they are', '<', 'feel free to improve the faces', m.faceChange, 'change in faces', 'faces'),
  P('identity', "don't change how they look", '<', 'restore the faces fully', m.faceChange, 'change in faces', 'faces'),
  P('scratches', 'remove the scratches', '<', 'leave the scratches alone', m.smallDefects, 'specks and lines'),
  P('scratches', 'fix the creases and cracks', '<', "don't touch the creases", m.smallDefects, 'specks and lines'),
  P('dust', 'remove the dust and specks', '<', "don't touch the dust", m.smallDefects, 'specks and lines'),
  P('blotches', 'remove the stains', '<', 'keep the stains', m.stains, 'stains'),
  P('jpeg', 'remove the jpeg artifacts', '<', 'leave the compression artifacts', m.blockiness, 'block edges', 'jpeg'),
  P('noise', 'remove the colour noise', '<', 'keep the noise', m.colourNoise, 'colour noise', 'toned'),
  P('noise', 'denoise it', '<', "don't denoise it", m.fineEnergy, 'fine-band energy'),
];

/** Instructions that mean the same: their outputs should match within 0.5/255. */
export const SYNONYMS: [string, string][] = [
  ['keep the grain', "dont touch the grain"],
  ['keep the grain', 'leave the film grain alone'],
  ['remove the scratches', 'get rid of the scratches'],
  ['remove the scratches', 'pls remove scrathces'],
  ['make it black and white', 'convert to greyscale'],
  ['just a light touch', 'gently please'],
  ['sharpen it', 'make it sharper'],
  ['remove the dust but keep the sepia', 'keep the sepia, get rid of the dust'],
];

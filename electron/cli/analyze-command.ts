/**
 * `restora analyze <files|folders...> [--json]`: per photo, the faces found
 * (box in the photo's pixels after EXIF orientation, score, 5 landmarks) and
 * the damage estimates, as the Restore panel shows them.
 * `restora analyze --library <photoIds...>` analyses library photos and
 * stores their faces in the library (the Faces filter and photo view read them).
 */
import path from 'node:path';
import type { Broker } from '../broker/broker.js';
import { RestoraError } from '../shared/errors.js';
import type { Analysis } from '../shared/contract/engine.js';
import type { ParsedArgs } from './args.js';

export const ANALYZE_HELP = `  analyze <files|folders...>   Faces (box, score, landmarks) and damage estimates per photo
          --library <ids...>   ...or library photos; their faces are stored in the library
`;

export interface AnalyzedPhoto {
  file?: string;
  photoId?: number;
  width?: number;
  height?: number;
  faces?: Array<{ box: { x: number; y: number; width: number; height: number }; score: number; landmarks: Array<[number, number]> | null }>;
  facesDetected?: boolean;
  damage?: Record<string, number>;
  damageSource?: Analysis['source'];
  suggestions?: string[];
  notes?: string[];
  seconds?: number;
  error?: string;
}

/** The analysis as the CLI prints it: boxes spelled out (x, y, width, height). */
export function analyzedPhoto(a: Analysis): AnalyzedPhoto {
  return {
    width: a.width,
    height: a.height,
    faces: a.faces.map((f) => ({ box: { x: f.x, y: f.y, width: f.w, height: f.h }, score: f.score, landmarks: f.landmarks ?? null })),
    facesDetected: a.facesDetected,
    damage: a.severity,
    damageSource: a.source,
    suggestions: a.suggestions,
    notes: a.notes,
    seconds: Math.round(a.seconds * 100) / 100,
  };
}

function describe(r: AnalyzedPhoto): string {
  const name = r.file ?? `photo ${r.photoId}`;
  if (r.error) return `✗ ${name}: ${r.error}`;
  const damage = Object.entries(r.damage ?? {}).filter(([, v]) => v >= 0.2).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ');
  const faces = r.facesDetected ? `${r.faces!.length} face${r.faces!.length === 1 ? '' : 's'}` : 'faces not detected';
  const boxes = (r.faces ?? []).map((f) => `\n  face at ${Math.round(f.box.x)},${Math.round(f.box.y)} ${Math.round(f.box.width)}×${Math.round(f.box.height)} (score ${f.score.toFixed(2)})`).join('');
  return `${name}: ${r.width}×${r.height}, ${faces}; damage: ${damage || 'little'}${boxes}${(r.notes ?? []).map((n) => `\n  note: ${n}`).join('')}`;
}

export async function cmdAnalyze(
  args: ParsedArgs,
  json: boolean,
  withBroker: <T>(fn: (b: Broker) => Promise<T>) => Promise<T>,
  print: (json: boolean, data: unknown, text: string) => void,
  collectImages: (inputs: string[]) => string[],
): Promise<number> {
  if (!args.positional.length) throw new RestoraError('BadRequest', 'analyze needs image files or folders (or --library with photo ids)');
  const library = args.flags.has('library');
  const ids = library ? args.positional.map(Number) : [];
  if (library && ids.some((n) => !Number.isInteger(n) || n <= 0)) throw new RestoraError('BadRequest', 'analyze --library needs photo ids (see `restora list`)');
  const files = library ? [] : collectImages(args.positional);
  if (!library && !files.length) throw new RestoraError('NotFound', 'No images found in the given paths');
  return withBroker(async (b) => {
    const results: AnalyzedPhoto[] = [];
    for (const photoId of ids) {
      try {
        results.push({ photoId, ...analyzedPhoto(await b.invoke('restore.analyze', { photoId })) });
      } catch (err) {
        results.push({ photoId, error: (err as Error).message });
      }
    }
    for (const file of files) {
      try {
        results.push({ file, ...analyzedPhoto(await b.invoke('engine.analyze', { input: path.resolve(file) })) });
      } catch (err) {
        results.push({ file, error: (err as Error).message });
      }
    }
    print(json, results, results.map(describe).join('\n'));
    return results.some((r) => r.error) ? 1 : 0;
  });
}

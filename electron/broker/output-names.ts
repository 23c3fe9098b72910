/**
 * Files in, files out: the images a folder batch (or `restora restore`)
 * finds in the paths it is given, and the names its results get from a
 * naming pattern. A result never replaces an existing file: " (2)", " (3)"…
 * are added instead.
 */
import fs from 'node:fs';
import path from 'node:path';
import { RestoraError } from '../shared/errors.js';
import type { BatchFormat } from '../shared/contract/batch.js';

export const IMAGE_EXT = /\.(jpe?g|png|tiff?|webp|avif|gif|bmp|heic|heif)$/i;

export const FORMAT_EXT: Record<BatchFormat, string> = { png: 'png', jpeg: 'jpg', webp: 'webp', tiff: 'tif' };

/** Image files in `inputs` (files, and the files of folders; sub-folders too with `recursive`), each once, in name order per folder. */
export function collectImages(inputs: readonly string[], recursive = true): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const walk = (p: string, depth: number) => {
    let real: string;
    try {
      real = fs.realpathSync(p);
    } catch {
      throw new RestoraError('NotFound', `${p} does not exist`);
    }
    if (seen.has(real)) return;
    seen.add(real);
    const st = fs.statSync(real);
    if (st.isDirectory()) {
      if (depth > 0 && !recursive) return;
      for (const e of fs.readdirSync(real).sort()) {
        if (e.startsWith('.')) continue;
        walk(path.join(p, e), depth + 1);
      }
    } else if (IMAGE_EXT.test(p)) out.push(p);
  };
  for (const i of inputs) walk(i, 0);
  return out;
}

/** A file name (without extension) from a pattern: {name}, {n} (zero-padded to the batch's width), {date}, {folder}. */
export function nameFromPattern(pattern: string, input: string, n: number, total: number, now = new Date()): string {
  const name = path.basename(input).replace(/\.[^.]+$/, '');
  const date = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
  const out = pattern
    .replace(/\{name\}/g, name)
    .replace(/\{n\}/g, String(n).padStart(String(total).length, '0'))
    .replace(/\{date\}/g, date)
    .replace(/\{folder\}/g, path.basename(path.dirname(input)));
  return out.replace(/[/\\:*?"<>|\u0000-\u001f]/g, '_').replace(/[. ]+$/, '').slice(0, 180) || 'photo';
}

/** `dir/stem.ext`, or `dir/stem (N).ext` for the first N that is free. */
export function freeName(dir: string, stem: string, ext: string, taken: ReadonlySet<string> = new Set()): string {
  for (let n = 1; n < 100_000; n++) {
    const candidate = path.join(dir, n === 1 ? `${stem}.${ext}` : `${stem} (${n}).${ext}`);
    if (!taken.has(candidate) && !fs.existsSync(candidate)) return candidate;
  }
  throw new RestoraError('Conflict', `Too many files named ${stem} in ${dir}`);
}

/**
 * The image files behind the paths given to `restora restore` and
 * `restora finetune`: folders are walked (each real folder once, so link loops
 * end), names that are not UTF-8 are reported for what they are rather than as
 * missing, and results of an earlier run in the output folder are not
 * restored again.
 */
import fs from 'node:fs';
import path from 'node:path';
import { RestoraError } from '../shared/errors.js';
import { NOT_UTF8, isUtf8Name, showBytes } from '../node/file-names.js';

export const IMAGE_EXT = /\.(jpe?g|png|tiff?|webp|avif|gif|bmp|heic|heif)$/i;
/** The names `restora restore` gives its results: "<name>-restored.png", "<name>-restored (2).png". */
export const RESULT_NAME = /-restored(?: \(\d+\))?\.png$/i;

export interface Collected {
  files: string[];
  /** Files that were found but cannot be used, with why. */
  problems: Array<{ input: string; error: string }>;
  /** Earlier results left out because they lie in the output folder. */
  earlierResults: string[];
}

export function collectImages(inputs: string[], opts: { outputDir?: string } = {}): Collected {
  const out: Collected = { files: [], problems: [], earlierResults: [] };
  const seen = new Set<string>();
  let outputReal: string | null = null;
  try {
    outputReal = opts.outputDir ? fs.realpathSync(opts.outputDir) : null;
  } catch {
    outputReal = null;
  }
  const walk = (p: string, explicit: boolean) => {
    let real: string;
    try {
      real = fs.realpathSync(p);
    } catch {
      if (!explicit) return;
      throw new RestoraError('NotFound', p.includes('\uFFFD') ? `${p}: ${NOT_UTF8}` : `${p} does not exist`);
    }
    if (seen.has(real)) return;
    seen.add(real);
    const st = fs.statSync(real);
    if (st.isDirectory()) {
      const names = fs.readdirSync(real, { encoding: 'buffer' }).sort(Buffer.compare);
      for (const raw of names) {
        if (!isUtf8Name(raw)) {
          const shown = showBytes(raw);
          if (IMAGE_EXT.test(shown)) out.problems.push({ input: path.join(p, shown), error: NOT_UTF8 });
          continue;
        }
        const name = raw.toString('utf8');
        if (name.startsWith('.')) continue;
        if (outputReal && real === outputReal && RESULT_NAME.test(name)) {
          out.earlierResults.push(path.join(p, name));
          continue;
        }
        walk(path.join(p, name), false);
      }
    } else if (IMAGE_EXT.test(p)) out.files.push(p);
  };
  for (const i of inputs) walk(i, true);
  return out;
}

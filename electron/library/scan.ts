/**
 * Walks the files and folders the user chose and lists the image files in
 * them. Symlinks are followed, but every folder is entered at most once by its
 * real path, so a link loop ends instead of recursing forever; unreadable
 * folders and non-regular files (FIFOs, sockets, devices) are reported, never
 * opened.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { NOT_UTF8, isUtf8Name, showBytes } from '../node/file-names.js';

/** Extensions an import looks at inside folders. Everything else there is ignored silently. */
export const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.jpe', '.jfif', '.png', '.tif', '.tiff', '.webp', '.avif', '.gif', '.bmp']);

export function hasImageExtension(file: string): boolean {
  return IMAGE_EXTENSIONS.has(path.extname(file).toLowerCase());
}

export interface ScanResult {
  files: string[];
  skipped: Array<{ path: string; reason: string }>;
}

function describe(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'not found (or a broken link)';
  if (code === 'ELOOP') return 'symbolic link loop';
  if (code === 'ENAMETOOLONG') return 'path too long for this system';
  return (err as Error)?.message ?? String(err);
}

/** `onFound` is called now and then with the number of image files found so far (long walks show life). */
export async function scan(roots: readonly string[], signal?: AbortSignal, onFound?: (count: number) => void): Promise<ScanResult> {
  const files: string[] = [];
  const skipped: ScanResult['skipped'] = [];
  const seenDirs = new Set<string>();
  const seenFiles = new Set<string>();

  const addFile = async (file: string, explicit: boolean) => {
    let st;
    try {
      st = await fs.stat(file);
    } catch (err) {
      skipped.push({ path: file, reason: `Cannot read file: ${describe(err)}` });
      return;
    }
    if (!st.isFile()) {
      skipped.push({ path: file, reason: 'Not a regular file' });
      return;
    }
    if (!hasImageExtension(file)) {
      if (explicit) skipped.push({ path: file, reason: `Not an image type Restora imports (${path.extname(file) || 'no extension'})` });
      return;
    }
    let real: string;
    try {
      real = await fs.realpath(file);
    } catch (err) {
      skipped.push({ path: file, reason: `Cannot read file: ${describe(err)}` });
      return;
    }
    if (seenFiles.has(real)) return;
    seenFiles.add(real);
    files.push(file);
    if (onFound && files.length % 250 === 0) onFound(files.length);
  };

  const stack: string[] = [];
  for (const root of roots) {
    const abs = path.resolve(root);
    let st;
    try {
      st = await fs.stat(abs);
    } catch (err) {
      // A name handed over as text with U+FFFD in it lost bytes that were not UTF-8 on the way.
      skipped.push({ path: abs, reason: `Cannot read: ${abs.includes('\uFFFD') && (err as NodeJS.ErrnoException).code === 'ENOENT' ? NOT_UTF8 : describe(err)}` });
      continue;
    }
    if (st.isDirectory()) stack.push(abs);
    else await addFile(abs, true);
  }
  // Depth-first, children pushed in reverse so files come out in name order.
  stack.reverse();
  while (stack.length > 0) {
    if (signal?.aborted) break;
    const dir = stack.pop()!;
    let real: string;
    let raw;
    try {
      real = await fs.realpath(dir);
      if (seenDirs.has(real)) continue;
      seenDirs.add(real);
      // Names as bytes: one that is not UTF-8 would otherwise come back changed and be reported missing.
      raw = await fs.readdir(dir, { withFileTypes: true, encoding: 'buffer' });
    } catch (err) {
      skipped.push({ path: dir, reason: `Cannot read folder: ${describe(err)}` });
      continue;
    }
    const entries = [];
    for (const e of raw) {
      const bytes = e.name as unknown as Buffer;
      if (isUtf8Name(bytes)) {
        entries.push({ name: bytes.toString('utf8'), isDirectory: () => e.isDirectory(), isSymbolicLink: () => e.isSymbolicLink() });
        continue;
      }
      const shown = showBytes(bytes);
      if (!shown.startsWith('.') && (e.isDirectory() || hasImageExtension(shown))) {
        skipped.push({ path: path.join(dir, shown), reason: `Cannot read ${e.isDirectory() ? 'folder' : 'file'}: ${NOT_UTF8}` });
      }
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: string[] = [];
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) subdirs.push(full);
      else if (entry.isSymbolicLink()) {
        try {
          const st = await fs.stat(full);
          if (st.isDirectory()) subdirs.push(full);
          else if (hasImageExtension(full)) await addFile(full, false);
        } catch (err) {
          if (hasImageExtension(full)) skipped.push({ path: full, reason: `Cannot read file: ${describe(err)}` });
        }
      } else if (hasImageExtension(full)) await addFile(full, false);
    }
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
  }
  return { files, skipped };
}

/**
 * The folder chooser's view of the disk: a folder's sub-folders and how many
 * images it holds, plus places to start (home, Pictures, drives or volumes).
 * Hidden folders are left out; a folder that cannot be read says so.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RestoraError } from '../shared/errors.js';
import { IMAGE_EXT } from './output-names.js';

const MAX_FOLDERS = 5000;

function places(): Array<{ label: string; path: string }> {
  const home = os.homedir();
  const out = [{ label: 'Home', path: home }];
  for (const name of ['Pictures', 'Desktop', 'Documents', 'Downloads']) {
    const p = path.join(home, name);
    if (fs.existsSync(p)) out.push({ label: name, path: p });
  }
  if (process.platform === 'win32') {
    for (const letter of 'CDEFGHIJKLMNOPQRSTUVWXYZ') if (fs.existsSync(`${letter}:\\`)) out.push({ label: `${letter}:`, path: `${letter}:\\` });
  } else {
    out.push({ label: 'Computer', path: '/' });
    for (const root of ['/Volumes', '/media', '/mnt']) {
      try {
        for (const e of fs.readdirSync(root, { withFileTypes: true })) if (e.isDirectory()) out.push({ label: e.name, path: path.join(root, e.name) });
      } catch {
        // not on this system
      }
    }
  }
  return out.slice(0, 50);
}

export function browseFolder(requested: string | undefined) {
  const dir = path.resolve(requested?.trim() || os.homedir());
  let entries: fs.Dirent[];
  try {
    if (!fs.statSync(dir).isDirectory()) throw new RestoraError('BadRequest', `${dir} is a file, not a folder`);
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if (err instanceof RestoraError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new RestoraError(code === 'ENOENT' ? 'NotFound' : 'BadRequest', code === 'ENOENT' ? `${dir} does not exist` : `${dir} cannot be opened (${code ?? (err as Error).message})`);
  }
  const folders: string[] = [];
  let images = 0;
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    let isDir = e.isDirectory();
    if (e.isSymbolicLink()) {
      try {
        isDir = fs.statSync(path.join(dir, e.name)).isDirectory();
      } catch {
        continue;
      }
    }
    if (isDir) folders.push(e.name);
    else if (IMAGE_EXT.test(e.name)) images++;
  }
  folders.sort((a, b) => a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' }));
  const parent = path.dirname(dir);
  return { path: dir, parent: parent === dir ? null : parent, folders: folders.slice(0, MAX_FOLDERS), images, places: places(), truncated: folders.length > MAX_FOLDERS };
}

/** What the sidebar narrows the grid to: everything, one folder, one album or one tag; or the photos a job made (from the Jobs panel), or a person's (from People). */
import type { PhotoFilter } from '../../../electron/shared/contract/library.js';

export type Scope =
  | { kind: 'all' }
  | { kind: 'folder'; folder: string }
  | { kind: 'album'; albumId: number; name: string }
  | { kind: 'tag'; tag: string }
  | { kind: 'ids'; ids: number[]; label: string }
  | { kind: 'person'; personId: number; name: string | null };

export function scopeFilter(scope: Scope): PhotoFilter {
  switch (scope.kind) {
    case 'folder':
      return { folder: scope.folder, recursive: true };
    case 'album':
      return { albumId: scope.albumId };
    case 'tag':
      return { tag: scope.tag };
    case 'ids':
      return { ids: scope.ids.slice(0, 10_000) };
    case 'person':
      return { personId: scope.personId };
    default:
      return {};
  }
}

export function scopeLabel(scope: Scope): string {
  switch (scope.kind) {
    case 'folder':
      return `Folder ${scope.folder}`;
    case 'album':
      return `Album “${scope.name}”`;
    case 'tag':
      return `Tag “${scope.tag}”`;
    case 'ids':
      return scope.label;
    case 'person':
      return scope.name ? `Photos of ${scope.name}` : `Photos of person ${scope.personId}`;
    default:
      return 'All photos';
  }
}

export function sameScope(a: Scope, b: Scope): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Folder paths as an indented tree: each is labelled relative to its nearest
 * listed ancestor (or to the deepest folder they all share) and indented by
 * how many listed ancestors it has. Expects the paths sorted, as listFolders gives them.
 */
export function folderTree(folders: readonly string[]): Array<{ folder: string; label: string; depth: number }> {
  if (folders.length === 0) return [];
  const sep = folders[0]!.includes('\\') && !folders[0]!.includes('/') ? '\\' : '/';
  const split = folders.map((f) => f.split(sep));
  let common = split[0]!.length - 1;
  for (const parts of split) {
    let i = 0;
    while (i < common && i < parts.length && parts[i] === split[0]![i]) i++;
    common = i;
  }
  const listed = new Set(folders);
  return folders.map((f, k) => {
    const parts = split[k]!;
    let depth = 0;
    let base = common;
    for (let i = common + 1; i < parts.length; i++) {
      if (listed.has(parts.slice(0, i).join(sep))) {
        depth++;
        base = i;
      }
    }
    const rest = parts.slice(base);
    return { folder: f, label: rest.length ? rest.join(sep) : f, depth };
  });
}

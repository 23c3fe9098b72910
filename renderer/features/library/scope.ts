/** What the sidebar narrows the grid to: everything, one folder, one album or one tag. */
import type { PhotoFilter } from '../../../electron/shared/contract/library.js';

export type Scope =
  | { kind: 'all' }
  | { kind: 'folder'; folder: string }
  | { kind: 'album'; albumId: number; name: string }
  | { kind: 'tag'; tag: string };

export function scopeFilter(scope: Scope): PhotoFilter {
  switch (scope.kind) {
    case 'folder':
      return { folder: scope.folder, recursive: true };
    case 'album':
      return { albumId: scope.albumId };
    case 'tag':
      return { tag: scope.tag };
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
    default:
      return 'All photos';
  }
}

export function sameScope(a: Scope, b: Scope): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Folder paths shown relative to the deepest folder they all share, indented by depth. */
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
  return folders.map((f, k) => {
    const rest = split[k]!.slice(common);
    return { folder: f, label: rest.length ? rest[rest.length - 1]! : f, depth: Math.max(0, rest.length - 1) };
  });
}

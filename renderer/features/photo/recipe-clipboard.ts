/**
 * The copied recipe (Lightroom's "copy settings"): a version whose recipe
 * the Library's selection bar can apply to the selected photos. One per
 * window, kept for the session.
 */
import { useSyncExternalStore } from 'react';

export interface CopiedRecipe {
  versionId: number;
  /** What the selection bar calls it, e.g. "“Clean” of harbour.png". */
  name: string;
}

let copied: CopiedRecipe | null = null;
const listeners = new Set<() => void>();

export function copyRecipe(r: CopiedRecipe | null): void {
  copied = r;
  for (const l of listeners) l();
}

export function useCopiedRecipe(): CopiedRecipe | null {
  return useSyncExternalStore(
    (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    () => copied,
  );
}

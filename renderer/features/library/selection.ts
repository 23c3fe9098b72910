/**
 * Grid selection as a value: a set of photo ids, the index the next
 * Shift-click extends from (anchor) and the keyboard focus. The rules follow
 * Lightroom / Finder: click selects one, Ctrl/Cmd-click toggles, Shift-click
 * selects the range from the anchor.
 */

export interface Selection {
  ids: ReadonlySet<number>;
  anchor: number | null;
  focus: number | null;
}

export const EMPTY_SELECTION: Selection = { ids: new Set(), anchor: null, focus: null };

export function selectOnly(id: number, index: number): Selection {
  return { ids: new Set([id]), anchor: index, focus: index };
}

export function toggle(sel: Selection, id: number, index: number): Selection {
  const ids = new Set(sel.ids);
  if (ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { ids, anchor: index, focus: index };
}

/** Adds (or, without `additive`, replaces with) the ids of a range; the anchor stays. */
export function withRange(sel: Selection, rangeIds: readonly number[], focus: number, additive: boolean): Selection {
  const ids = new Set(additive ? sel.ids : []);
  for (const id of rangeIds) ids.add(id);
  return { ids, anchor: sel.anchor ?? focus, focus };
}

/** Drops ids that are no longer in the library. */
export function without(sel: Selection, removed: readonly number[]): Selection {
  if (!removed.some((id) => sel.ids.has(id))) return sel;
  const ids = new Set(sel.ids);
  for (const id of removed) ids.delete(id);
  return { ...sel, ids };
}

export type Direction = 'left' | 'right' | 'up' | 'down';

/** Where the keyboard focus goes from index `from` (-1: nothing focused yet) in a grid of `columns` holding `total` photos. */
export function moveFocus(from: number, dir: Direction, columns: number, total: number): number {
  if (from < 0) return 0;
  const step = dir === 'left' ? -1 : dir === 'right' ? 1 : dir === 'up' ? -columns : columns;
  return Math.min(total - 1, Math.max(0, from + step));
}

/** The two ends of the range between grid positions `a` and `b` (inclusive), lower first. */
export function span(a: number, b: number): [number, number] {
  return a < b ? [a, b] : [b, a];
}

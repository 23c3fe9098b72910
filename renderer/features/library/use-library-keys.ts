/**
 * Keyboard shortcuts of the grid (the "?" overlay lists them). They act only
 * when focus is in the library (or nowhere), never while typing in a field,
 * and not while the photo view or a dialog is open: those handle their own keys.
 */
import { useEffect, useRef } from 'react';

export interface LibraryKeyActions {
  enabled: boolean;
  root: HTMLElement | null;
  move(delta: 'left' | 'right' | 'up' | 'down', extend: boolean): void;
  open(): void;
  selectAll(): void;
  clear(): void;
  rate(n: number): void;
  toggleFavorite(): void;
  tag(): void;
  restore(): void;
  remove(): void;
  search(): void;
  help(): void;
}

export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

/** Enter on a toolbar button presses that button; on a grid cell it opens the photo. */
function isOtherButton(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && el.tagName === 'BUTTON' && !el.classList.contains('cell-button');
}

export function useLibraryKeys(actions: LibraryKeyActions): void {
  const ref = useRef(actions);
  ref.current = actions;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const a = ref.current;
      if (!a.enabled || e.defaultPrevented || isTyping(e.target)) return;
      const t = e.target as Node | null;
      if (t && t !== document.body && a.root && !a.root.contains(t)) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key;
      let handled = true;
      if (mod && !e.altKey && key.toLowerCase() === 'a') a.selectAll();
      else if (mod || e.altKey) handled = false;
      else if (key === 'ArrowLeft') a.move('left', e.shiftKey);
      else if (key === 'ArrowRight') a.move('right', e.shiftKey);
      else if (key === 'ArrowUp') a.move('up', e.shiftKey);
      else if (key === 'ArrowDown') a.move('down', e.shiftKey);
      else if (key === 'Enter' && !isOtherButton(e.target)) a.open();
      else if (key === 'Escape') a.clear();
      else if (/^[0-5]$/.test(key)) a.rate(Number(key));
      else if (key === 'f' || key === 'F') a.toggleFavorite();
      else if (key === 't' || key === 'T') a.tag();
      else if (key === 'r' || key === 'R') a.restore();
      else if (key === 'Delete' || key === 'Backspace') a.remove();
      else if (key === '/') a.search();
      else if (key === '?') a.help();
      else handled = false;
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

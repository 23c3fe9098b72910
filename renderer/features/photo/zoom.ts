/**
 * Zoom and pan of the photo view as pure arithmetic plus a small hook. The
 * picture (natural size w × h) is drawn at translate(x, y) scale(s) inside a
 * viewport vw × vh; both sides of a comparison share one state, so they stay
 * in register whatever the user does.
 */
import { useCallback, useMemo, useState } from 'react';

export interface ZoomState {
  scale: number;
  x: number;
  y: number;
  /** Following the viewport size (re-fits on resize) until the user zooms. */
  fit: boolean;
}

export interface Size {
  w: number;
  h: number;
}

export const MIN_SCALE = 0.02;
export const MAX_SCALE = 16;

export function fitScale(view: Size, img: Size): number {
  if (!img.w || !img.h || !view.w || !view.h) return 1;
  return Math.min(view.w / img.w, view.h / img.h);
}

/** Centres the axes that are smaller than the viewport and keeps the others covering it. */
export function clampPan(s: ZoomState, view: Size, img: Size): ZoomState {
  const w = img.w * s.scale;
  const h = img.h * s.scale;
  const x = w <= view.w ? (view.w - w) / 2 : Math.min(0, Math.max(view.w - w, s.x));
  const y = h <= view.h ? (view.h - h) / 2 : Math.min(0, Math.max(view.h - h, s.y));
  return { ...s, x, y };
}

export function fitted(view: Size, img: Size): ZoomState {
  return clampPan({ scale: fitScale(view, img), x: 0, y: 0, fit: true }, view, img);
}

/** Zooms to `scale` keeping the picture point under `at` (viewport px) where it is. */
export function zoomTo(s: ZoomState, scale: number, at: { x: number; y: number }, view: Size, img: Size): ZoomState {
  const next = Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale));
  const k = next / s.scale;
  return clampPan({ scale: next, x: at.x - (at.x - s.x) * k, y: at.y - (at.y - s.y) * k, fit: false }, view, img);
}

export interface Zoom {
  state: ZoomState;
  view: Size;
  img: Size;
  setView(v: Size): void;
  fit(): void;
  actual(at?: { x: number; y: number }): void;
  toggle(at?: { x: number; y: number }): void;
  zoomBy(factor: number, at?: { x: number; y: number }): void;
  panBy(dx: number, dy: number): void;
}

export function useZoom(img: Size): Zoom {
  const [view, setViewState] = useState<Size>({ w: 0, h: 0 });
  const [raw, setRaw] = useState<ZoomState>({ scale: 1, x: 0, y: 0, fit: true });
  const imgKey = `${img.w}x${img.h}`;
  // A new picture (or a resize while fitting) starts fitted.
  const [lastKey, setLastKey] = useState(imgKey);
  if (lastKey !== imgKey) {
    setLastKey(imgKey);
    setRaw({ scale: 1, x: 0, y: 0, fit: true });
  }
  const state = useMemo(() => (raw.fit ? fitted(view, img) : clampPan(raw, view, img)), [raw, view, img]);
  const centre = { x: view.w / 2, y: view.h / 2 };
  const setView = useCallback((v: Size) => setViewState((old) => (old.w === v.w && old.h === v.h ? old : v)), []);
  // Functional updates: several wheel or pointer events can arrive before the next render.
  const resolve = (s: ZoomState) => (s.fit ? fitted(view, img) : s);
  const update = (f: (s: ZoomState) => ZoomState) => setRaw((prev) => f(resolve(prev)));
  return {
    state,
    view,
    img,
    setView,
    fit: () => setRaw((prev) => ({ ...prev, fit: true })),
    actual: (at = centre) => update((s) => zoomTo(s, 1, at, view, img)),
    toggle: (at = centre) =>
      update((s) => (s.fit || Math.abs(s.scale - fitScale(view, img)) < 1e-3 ? zoomTo(s, 1, at, view, img) : { ...s, fit: true })),
    zoomBy: (factor, at = centre) => update((s) => zoomTo(s, s.scale * factor, at, view, img)),
    panBy: (dx, dy) => update((s) => clampPan({ ...s, x: s.x + dx, y: s.y + dy, fit: false }, view, img)),
  };
}

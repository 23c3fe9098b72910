/**
 * The photo view's picture: wheel zooms around the cursor, drag pans,
 * double-click toggles fit / 100 %. With two layers it is a before/after
 * comparison: both are drawn with the same zoom and pan, and the right one is
 * revealed from a draggable divider in screen space, so the divider stays put
 * while the user zooms into a detail. The 1600 px preview is swapped for the
 * full-resolution file once the zoom needs more pixels than the preview has.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { Zoom } from './zoom.js';

export interface Layer {
  /** Preview-size URL and full-size URL of the same picture. */
  preview: string;
  full: string;
  label: string;
}

/** Long side of the preview rendition (MEDIA_SIZE_PX.preview). */
const PREVIEW_PX = 1600;

export function ZoomViewport({ zoom, layers }: { zoom: Zoom; layers: Layer[] }) {
  const box = useRef<HTMLDivElement>(null);
  const drag = useRef<{ x: number; y: number; id: number } | null>(null);
  const [split, setSplit] = useState(0.5);
  const [dividing, setDividing] = useState(false);
  const zoomRef = useRef(zoom);
  zoomRef.current = zoom;

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => zoomRef.current.setView({ w: el.clientWidth, h: el.clientHeight });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Wheel must be a non-passive native listener to stop the page from scrolling.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const r = el.getBoundingClientRect();
      zoomRef.current.zoomBy(Math.exp(-e.deltaY * 0.0015), { x: e.clientX - r.left, y: e.clientY - r.top });
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, []);

  const { scale, x, y } = zoom.state;
  const needFull = scale * Math.max(zoom.img.w, zoom.img.h) > PREVIEW_PX * 1.05;
  const transform = `translate(${x}px, ${y}px) scale(${scale})`;
  const pct = Math.round(scale * 100);
  const compare = layers.length > 1;

  const moveDivider = (clientX: number) => {
    const r = box.current?.getBoundingClientRect();
    if (r && r.width > 0) setSplit(Math.min(1, Math.max(0, (clientX - r.left) / r.width)));
  };

  return (
    <div
      className={`zoom-viewport${drag.current ? ' panning' : ''}`}
      ref={box}
      data-testid={compare ? 'compare' : 'photo-viewport'}
      data-scale={scale.toFixed(4)}
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        (e.currentTarget as Element).setPointerCapture?.(e.pointerId);
        if ((e.target as HTMLElement).closest('.divider')) {
          setDividing(true);
          moveDivider(e.clientX);
        } else drag.current = { x: e.clientX, y: e.clientY, id: e.pointerId };
      }}
      onPointerMove={(e) => {
        if (dividing) moveDivider(e.clientX);
        else if (drag.current && drag.current.id === e.pointerId) {
          zoom.panBy(e.clientX - drag.current.x, e.clientY - drag.current.y);
          drag.current = { ...drag.current, x: e.clientX, y: e.clientY };
        }
      }}
      onPointerUp={() => {
        drag.current = null;
        setDividing(false);
      }}
      onPointerCancel={() => {
        drag.current = null;
        setDividing(false);
      }}
      onDoubleClick={(e) => {
        const r = box.current!.getBoundingClientRect();
        zoom.toggle({ x: e.clientX - r.left, y: e.clientY - r.top });
      }}
    >
      {layers.map((l, i) => (
        <div
          key={i}
          className="zoom-layer"
          style={compare && i === 1 ? { clipPath: `inset(0 0 0 ${split * 100}%)` } : undefined}
        >
          <img
            className="zoom-img"
            src={needFull ? l.full : l.preview}
            alt={l.label}
            draggable={false}
            style={{ width: zoom.img.w, height: zoom.img.h, transform }}
          />
        </div>
      ))}
      {compare && (
        <>
          <div
            className="divider"
            role="slider"
            tabIndex={0}
            aria-label="Before/after divider"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(split * 100)}
            style={{ left: `${split * 100}%` }}
            onKeyDown={(e) => {
              if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
                e.stopPropagation();
                e.preventDefault();
                setSplit((s) => Math.min(1, Math.max(0, s + (e.key === 'ArrowLeft' ? -0.05 : 0.05))));
              }
            }}
          />
          <span className="compare-label left">{layers[0]!.label}</span>
          <span className="compare-label right">{layers[1]!.label}</span>
        </>
      )}
      <span className="zoom-readout" aria-live="polite" data-testid="zoom-readout">
        {pct}%
      </span>
    </div>
  );
}

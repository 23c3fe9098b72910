/**
 * Any small picture (a region preview, an A/B sample, a batch result) opened
 * over the whole window at full size: the original on the left, the result
 * on the right, each with wheel zoom, drag pan and double-click 100 %; the
 * toolbar zooms both at once. Esc closes.
 */
import { useEffect, useState } from 'react';
import { useZoom } from './zoom.js';
import { ZoomViewport, type Layer } from './ZoomViewport.js';
import './photo.css';

export interface ViewerSide extends Layer {
  /** Pixel size when known; otherwise measured from the full-size picture. */
  size?: { w: number; h: number };
}

function useNaturalSize(side: ViewerSide): { w: number; h: number } {
  const [size, setSize] = useState(side.size ?? { w: 0, h: 0 });
  useEffect(() => {
    if (side.size) return;
    let alive = true;
    const img = new Image();
    img.onload = () => alive && setSize({ w: img.naturalWidth, h: img.naturalHeight });
    img.src = side.full;
    return () => {
      alive = false;
    };
  }, [side.full, side.size]);
  return side.size ?? size;
}

export function FullSizeViewer({ title, before, after, onClose }: { title: string; before: ViewerSide; after: ViewerSide; onClose(): void }) {
  const left = useZoom(useNaturalSize(before));
  const right = useZoom(useNaturalSize(after));
  const both = (f: (z: typeof left) => void) => {
    f(left);
    f(right);
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        e.preventDefault();
        onClose();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [onClose]);
  return (
    <div className="fullsize" role="dialog" aria-modal="true" aria-label={title} data-testid="fullsize-viewer">
      <header className="photo-bar">
        <strong>{title}</strong>
        <span className="spacer" />
        <span className="zoom-buttons" role="group" aria-label="Zoom both">
          <button className="secondary small" aria-label="Zoom out" onClick={() => both((z) => z.zoomBy(0.8))}>
            −
          </button>
          <button className="secondary small" aria-label="Zoom in" onClick={() => both((z) => z.zoomBy(1.25))}>
            +
          </button>
          <button className="secondary small" onClick={() => both((z) => z.fit())}>
            Fit
          </button>
          <button className="secondary small" onClick={() => both((z) => z.actual())}>
            100%
          </button>
        </span>
        <button className="secondary small" onClick={onClose} aria-label="Close full size">
          Close
        </button>
      </header>
      <div className="fullsize-sides">
        <figure>
          <figcaption>{before.label}</figcaption>
          <ZoomViewport zoom={left} layers={[before]} />
        </figure>
        <figure>
          <figcaption>{after.label}</figcaption>
          <ZoomViewport zoom={right} layers={[after]} />
        </figure>
      </div>
    </div>
  );
}

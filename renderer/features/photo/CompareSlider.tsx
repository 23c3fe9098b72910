/** Before/after comparison: the "after" image is revealed up to a draggable divider (mouse, touch or arrow keys). */
import { useRef, useState } from 'react';

export function CompareSlider({ before, after, beforeLabel = 'Before', afterLabel = 'After' }: { before: string; after: string; beforeLabel?: string; afterLabel?: string }) {
  const [split, setSplit] = useState(0.5);
  const box = useRef<HTMLDivElement>(null);
  const moveTo = (clientX: number) => {
    const r = box.current?.getBoundingClientRect();
    if (r && r.width > 0) setSplit(Math.min(1, Math.max(0, (clientX - r.left) / r.width)));
  };
  return (
    <div
      className="compare"
      ref={box}
      data-testid="compare"
      onPointerDown={(e) => {
        (e.target as Element).setPointerCapture?.(e.pointerId);
        moveTo(e.clientX);
      }}
      onPointerMove={(e) => {
        if (e.buttons) moveTo(e.clientX);
      }}
    >
      <img className="compare-img" src={before} alt={beforeLabel} draggable={false} />
      <img className="compare-img after" src={after} alt={afterLabel} draggable={false} style={{ clipPath: `inset(0 0 0 ${split * 100}%)` }} />
      <div
        className="compare-handle"
        role="slider"
        tabIndex={0}
        aria-label="Before/after divider"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(split * 100)}
        style={{ left: `${split * 100}%` }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowLeft') setSplit((s) => Math.max(0, s - 0.05));
          if (e.key === 'ArrowRight') setSplit((s) => Math.min(1, s + 0.05));
        }}
      />
      <span className="compare-label left">{beforeLabel}</span>
      <span className="compare-label right">{afterLabel}</span>
    </div>
  );
}

/** Drag a rectangle on the photo to choose the region to preview. Coordinates are relative (0..1). */
import { useRef, useState } from 'react';
import type { Region } from '../../../electron/shared/contract/engine.js';

export interface FaceChoice {
  /** Relative box (0..1) of the face in the photo. */
  x: number;
  y: number;
  w: number;
  h: number;
  on: boolean;
  /** Outside the cropped picture: not shown. */
  outside?: boolean;
}

export function RegionPicker({ src, region, onChange, faces = [], onToggleFace }: { src: string; region: Region; onChange(r: Region): void; faces?: FaceChoice[]; onToggleFace?(i: number): void }) {
  const box = useRef<HTMLDivElement>(null);
  const [start, setStart] = useState<{ x: number; y: number } | null>(null);
  const rel = (e: React.PointerEvent) => {
    const r = box.current!.getBoundingClientRect();
    return { x: Math.min(1, Math.max(0, (e.clientX - r.left) / r.width)), y: Math.min(1, Math.max(0, (e.clientY - r.top) / r.height)) };
  };
  return (
    <div
      className="region-picker"
      ref={box}
      data-testid="region-picker"
      onPointerDown={(e) => {
        (e.target as Element).setPointerCapture?.(e.pointerId);
        setStart(rel(e));
      }}
      onPointerMove={(e) => {
        if (!start) return;
        const p = rel(e);
        const x = Math.min(start.x, p.x), y = Math.min(start.y, p.y);
        const w = Math.abs(p.x - start.x), h = Math.abs(p.y - start.y);
        if (w > 0.02 && h > 0.02) onChange({ x, y, w, h });
      }}
      onPointerUp={() => setStart(null)}
    >
      <img src={src} alt="Photo to restore" draggable={false} />
      <div className="region" style={{ left: `${region.x * 100}%`, top: `${region.y * 100}%`, width: `${region.w * 100}%`, height: `${region.h * 100}%` }} />
      {faces.map((f, i) =>
        f.outside ? null : (
        <button
          key={i}
          className={f.on ? 'face-box on' : 'face-box'}
          style={{ left: `${f.x * 100}%`, top: `${f.y * 100}%`, width: `${f.w * 100}%`, height: `${f.h * 100}%` }}
          aria-pressed={f.on}
          aria-label={`Face ${i + 1}: ${f.on ? 'will be restored' : 'left as it is'}`}
          title={`Face ${i + 1}: click to ${f.on ? 'leave it as it is' : 'restore it'}`}
          onPointerDown={(e) => e.stopPropagation()}
          onClick={() => onToggleFace?.(i)}
        >
          {i + 1}
        </button>
        ),
      )}
    </div>
  );
}

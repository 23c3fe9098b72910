/** Drag a rectangle on the photo to choose the region to preview. Coordinates are relative (0..1). */
import { useRef, useState } from 'react';
import type { Region } from '../../../electron/shared/contract/engine.js';

export function RegionPicker({ src, region, onChange }: { src: string; region: Region; onChange(r: Region): void }) {
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
    </div>
  );
}

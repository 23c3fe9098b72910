/**
 * Crop, quarter turns and straightening, as the recipe's geometry step
 * (applied to the original before restoration; the original stays as it
 * is). The stage shows the photo turned and straightened; drag on it to
 * crop (free or at a fixed ratio), or switch to "Draw horizon" and drag
 * along a line that should be level. The crop can also be typed in percent:
 * a box outside the photo or of zero size is refused with the reason.
 */
import { useRef, useState } from 'react';
import {
  CROP_RATIOS,
  CropBox,
  MAX_STRAIGHTEN_DEGREES,
  checkGeometry,
  describeGeometry,
  fitRatio,
  levelAngle,
  outputSize,
  ratioValue,
  turnedSize,
  type CropRatio,
  type ResolvedGeometry,
} from '../../../electron/shared/geometry.js';
import { useShapedPreview } from './use-shaped-preview.js';

export const NO_GEOMETRY: ResolvedGeometry = { rotate: 0, straighten: 0, ratio: 'free' };

type Point = { x: number; y: number };
type Turn = ResolvedGeometry['rotate'];

const round1 = (n: number) => Math.round(n * 10) / 10;
const clampAngle = (n: number) => Math.max(-MAX_STRAIGHTEN_DEGREES, Math.min(MAX_STRAIGHTEN_DEGREES, round1(n)));
const pct = (n: number | undefined, whole = 0) => String(round1((n ?? whole) * 100));

export interface CropEditorProps {
  photoId: number;
  /** The original's display size (after EXIF orientation). */
  size: { width: number; height: number } | null;
  geometry: ResolvedGeometry;
  onChange(g: ResolvedGeometry): void;
  onError(e: unknown): void;
}

export function CropEditor({ photoId, size, geometry: g, onChange, onError }: CropEditorProps) {
  const stage = useRef<HTMLDivElement>(null);
  const [mode, setMode] = useState<'crop' | 'horizon'>('crop');
  const [drag, setDrag] = useState<{ a: Point; b: Point } | null>(null);
  const [typed, setTyped] = useState<Record<'x' | 'y' | 'w' | 'h', string> | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // The stage shows the turned and straightened photo; the crop is drawn over it.
  const shaped = useShapedPreview(photoId, { rotate: g.rotate, straighten: g.straighten, ratio: 'free' }, size, onError);

  const set = (patch: Partial<ResolvedGeometry>) => {
    const next = { ...g, ...patch };
    if (patch.crop === undefined && 'crop' in patch) delete next.crop;
    setProblem(null);
    if (size) {
      try {
        checkGeometry(size, next);
      } catch (e) {
        setProblem((e as Error).message);
        return;
      }
    }
    onChange(next);
  };
  const turn = (by: 90 | -90) => set({ rotate: (((g.rotate + by + 360) % 360) as Turn), crop: undefined });
  const rel = (e: React.PointerEvent): Point => {
    const r = stage.current!.getBoundingClientRect();
    return { x: Math.min(1, Math.max(0, (e.clientX - r.left) / r.width)), y: Math.min(1, Math.max(0, (e.clientY - r.top) / r.height)) };
  };
  const ratioFor = (ratio: CropRatio) => (size ? ratioValue(ratio, turnedSize(size, g.rotate)) : null);
  const fitted = (box: CropBox, ratio: CropRatio): CropBox => {
    const r = ratioFor(ratio);
    return r !== null && shaped ? fitRatio(box, r, shaped) : box;
  };

  const finishDrag = () => {
    if (!drag) return;
    setDrag(null);
    const { a, b } = drag;
    if (mode === 'horizon') {
      if (!shaped || Math.hypot((b.x - a.x) * shaped.width, (b.y - a.y) * shaped.height) < 10) return;
      // In pixels, so the picture's proportions do not bend the angle.
      const angle = levelAngle({ x: a.x * shaped.width, y: a.y * shaped.height }, { x: b.x * shaped.width, y: b.y * shaped.height });
      set({ straighten: clampAngle(g.straighten + angle) });
      setMode('crop');
      return;
    }
    const box = { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), w: Math.abs(b.x - a.x), h: Math.abs(b.y - a.y) };
    if (box.w < 0.02 || box.h < 0.02) return;
    set({ crop: fitted(box, g.ratio) });
  };

  const applyTyped = () => {
    if (!typed) return;
    const n = (s: string) => (s.trim() === '' ? NaN : Number(s) / 100);
    const checked = CropBox.safeParse({ x: n(typed.x), y: n(typed.y), w: n(typed.w), h: n(typed.h) });
    if (!checked.success) {
      setProblem(checked.error.issues[0]?.message ?? 'That crop is not valid');
      return;
    }
    set({ crop: checked.data });
  };

  const crop = g.crop;
  const out = size ? outputSize(size, g) : null;
  const line = drag && mode === 'horizon' ? drag : null;
  const live = drag && mode === 'crop' ? { x: Math.min(drag.a.x, drag.b.x), y: Math.min(drag.a.y, drag.b.y), w: Math.abs(drag.b.x - drag.a.x), h: Math.abs(drag.b.y - drag.a.y) } : null;
  const shown = live ? fitted(live, g.ratio) : crop;
  return (
    <section className="card crop-editor" data-testid="crop-editor" aria-label="Crop and straighten">
      <h2>Crop and straighten</h2>
      <div className="row">
        <button type="button" className="secondary small" onClick={() => turn(-90)} aria-label="Rotate left 90°">
          ⟲ 90°
        </button>
        <button type="button" className="secondary small" onClick={() => turn(90)} aria-label="Rotate right 90°">
          ⟳ 90°
        </button>
        <label className="field inline">
          <span>Straighten {g.straighten.toFixed(1)}°</span>
          <input
            type="range"
            aria-label="Straighten angle"
            min={-MAX_STRAIGHTEN_DEGREES}
            max={MAX_STRAIGHTEN_DEGREES}
            step={0.1}
            value={g.straighten}
            onChange={(e) => set({ straighten: clampAngle(Number(e.target.value)) })}
          />
        </label>
        <input
          className="narrow"
          type="number"
          aria-label="Straighten degrees"
          min={-MAX_STRAIGHTEN_DEGREES}
          max={MAX_STRAIGHTEN_DEGREES}
          step={0.1}
          value={g.straighten}
          onChange={(e) => {
            const v = Number(e.target.value);
            if (!Number.isFinite(v) || Math.abs(v) > MAX_STRAIGHTEN_DEGREES) setProblem(`Straighten by at most ${MAX_STRAIGHTEN_DEGREES}° either way`);
            else set({ straighten: round1(v) });
          }}
        />
        <button type="button" className={mode === 'horizon' ? 'small' : 'secondary small'} aria-pressed={mode === 'horizon'} onClick={() => setMode((m) => (m === 'horizon' ? 'crop' : 'horizon'))}>
          Draw horizon
        </button>
        <label className="field inline">
          <span>Ratio</span>
          <select
            aria-label="Crop ratio"
            value={g.ratio}
            onChange={(e) => {
              const ratio = e.target.value as CropRatio;
              set({ ratio, ...(crop ? { crop: fitted(crop, ratio) } : {}) });
            }}
          >
            {CROP_RATIOS.map((r) => (
              <option key={r} value={r}>
                {r === 'free' ? 'Free' : r === 'original' ? 'Original' : r}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="link small" onClick={() => set({ crop: undefined })} disabled={!crop}>
          No crop
        </button>
        <button
          type="button"
          className="link small"
          onClick={() => {
            setTyped(null);
            set({ ...NO_GEOMETRY, crop: undefined });
          }}
        >
          Reset
        </button>
      </div>
      <p className="muted small">{mode === 'horizon' ? 'Drag along a line that should be level (a horizon, a table edge).' : 'Drag on the photo to crop.'}</p>
      {shaped ? (
        <div
          className={`crop-stage ${mode}`}
          ref={stage}
          data-testid="crop-stage"
          onPointerDown={(e) => {
            (e.target as Element).setPointerCapture?.(e.pointerId);
            const p = rel(e);
            setDrag({ a: p, b: p });
          }}
          onPointerMove={(e) => drag && setDrag({ a: drag.a, b: rel(e) })}
          onPointerUp={finishDrag}
        >
          <img src={shaped.src} alt="Photo to crop" draggable={false} />
          {shown && (
            <div className="crop-box" data-testid="crop-box" style={{ left: `${shown.x * 100}%`, top: `${shown.y * 100}%`, width: `${shown.w * 100}%`, height: `${shown.h * 100}%` }} />
          )}
          {line && (
            <svg className="horizon-line" viewBox="0 0 100 100" preserveAspectRatio="none">
              <line x1={line.a.x * 100} y1={line.a.y * 100} x2={line.b.x * 100} y2={line.b.y * 100} vectorEffect="non-scaling-stroke" />
            </svg>
          )}
        </div>
      ) : (
        <p className="muted">Loading the photo…</p>
      )}
      <div className="crop-numbers">
        <button
          type="button"
          className="link small"
          aria-expanded={typed !== null}
          onClick={() => setTyped(typed ? null : { x: pct(crop?.x), y: pct(crop?.y), w: pct(crop?.w, 1), h: pct(crop?.h, 1) })}
        >
          Type the crop (percent of the straightened photo)
        </button>
        {typed && (
          <form
            className="row"
            onSubmit={(e) => {
              e.preventDefault();
              applyTyped();
            }}
          >
            {(['x', 'y', 'w', 'h'] as const).map((k) => (
              <label key={k} className="field inline">
                <span>{{ x: 'Left', y: 'Top', w: 'Width', h: 'Height' }[k]} %</span>
                <input className="narrow" aria-label={`Crop ${{ x: 'left', y: 'top', w: 'width', h: 'height' }[k]} percent`} value={typed[k]} onChange={(e) => setTyped({ ...typed, [k]: e.target.value })} />
              </label>
            ))}
            <button type="submit" className="small">
              Set crop
            </button>
          </form>
        )}
      </div>
      {problem && (
        <div className="banner error" role="alert" data-testid="crop-problem">
          {problem}
        </div>
      )}
      <p className="small" data-testid="geometry-summary">
        {describeGeometry(g) ?? 'The whole photo, as it is.'}
        {out && size && (out.width !== size.width || out.height !== size.height) ? ` Restores ${out.width} × ${out.height} px of the ${size.width} × ${size.height} original.` : ''}
      </p>
    </section>
  );
}

/**
 * The damage mask, shown over the photo and edited as photographers spot-heal:
 * "Find damage" runs the detector (a job with progress and Cancel) and shows
 * what it would repair in red; a brush adds, an eraser removes, Undo (Ctrl+Z)
 * takes back the last stroke, and "Use this mask" sends it so the preview and
 * the restore repair exactly the red pixels. The mask is kept at the photo's
 * full size; the overlay is that canvas scaled to the shown photo.
 */
import { useCallback, useEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { useApi } from '../../api/context.js';
import { isCancelled } from '../../api/client.js';
import { useJob } from '../../api/use-job.js';
import { ProgressBar } from '../../components/ui/ProgressBar.js';
import type { Geometry } from '../../../electron/shared/geometry.js';
import { base64Parts, greyToAlpha, markedShare, paintStroke, toMaskPoint, type Stroke, type StrokeMode } from './mask-strokes.js';

export interface MaskEditorProps {
  photoId: number;
  /** The photo as shown (preview size; the mask is drawn over it, scaled). */
  src: string;
  instruction: string;
  geometry?: Geometry | undefined;
  /** Whether the preview and the restore use the mask sent last. */
  useEdited: boolean;
  onUseEdited(on: boolean): void;
  onError(e: unknown): void;
}

const KIND_NAMES: Record<string, string> = { scratch: 'scratches', dust: 'dust', blotch: 'stains', tear: 'tears' };
const pct = (v: number) => `${v > 0 && v < 0.001 ? '<0.1' : (v * 100).toFixed(1)}%`;

export function MaskEditor({ photoId, src, instruction, geometry, useEdited, onUseEdited, onError }: MaskEditorProps) {
  const api = useApi();
  const job = useJob();
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  const [found, setFound] = useState<string | null>(null);
  const [tool, setTool] = useState<StrokeMode>('add');
  const [brush, setBrush] = useState(8);
  const [show, setShow] = useState(true);
  const [strokes, setStrokes] = useState<Stroke[]>([]);
  const [share, setShare] = useState(0);
  const [sending, setSending] = useState(false);
  /** The stroke list sent last (every edit makes a new list), to say when the drawing changed since. */
  const [sent, setSent] = useState<Stroke[] | null>(null);
  const base = useRef<HTMLCanvasElement | null>(null);
  const mask = useRef<HTMLCanvasElement | null>(null);
  const view = useRef<HTMLCanvasElement | null>(null);
  const drawing = useRef<Stroke | null>(null);

  useEffect(() => {
    setSize(null);
    setStrokes([]);
    setFound(null);
    setSent(null);
  }, [photoId]);

  /** The overlay: the mask in translucent red. */
  const paintView = useCallback(() => {
    const v = view.current, m = mask.current;
    if (!v || !m) return;
    const ctx = v.getContext('2d')!;
    ctx.globalCompositeOperation = 'source-over';
    ctx.clearRect(0, 0, v.width, v.height);
    ctx.drawImage(m, 0, 0);
    ctx.globalCompositeOperation = 'source-in';
    ctx.fillStyle = 'rgba(255, 40, 40, 0.75)';
    ctx.fillRect(0, 0, v.width, v.height);
    ctx.globalCompositeOperation = 'source-over';
  }, []);

  /** The mask from the base and every stroke, then the overlay and the marked share. */
  const replay = useCallback(
    (list: Stroke[]) => {
      const m = mask.current, b = base.current;
      if (!m || !b) return;
      const ctx = m.getContext('2d', { willReadFrequently: true })!;
      ctx.globalCompositeOperation = 'source-over';
      ctx.clearRect(0, 0, m.width, m.height);
      ctx.drawImage(b, 0, 0);
      for (const s of list) paintStroke(ctx, s, m.width, m.height);
      paintView();
      setShare(markedShare(ctx.getImageData(0, 0, m.width, m.height).data));
    },
    [paintView],
  );

  const findDamage = async () => {
    try {
      const r = await job.run('restore.detectDamage', { photoId, instruction, ...(geometry ? { geometry } : {}) });
      const img = new Image();
      img.src = api.mediaUrl({ kind: 'preview', id: r.maskId, size: 'full' });
      await img.decode();
      const b = document.createElement('canvas');
      b.width = r.width;
      b.height = r.height;
      const bctx = b.getContext('2d', { willReadFrequently: true })!;
      bctx.drawImage(img, 0, 0, r.width, r.height);
      const px = bctx.getImageData(0, 0, r.width, r.height);
      greyToAlpha(px.data);
      bctx.putImageData(px, 0, 0);
      base.current = b;
      const m = document.createElement('canvas');
      m.width = r.width;
      m.height = r.height;
      mask.current = m;
      setSize({ width: r.width, height: r.height });
      setStrokes([]);
      setSent(null);
      onUseEdited(false);
      const kinds = r.kinds.map((k) => KIND_NAMES[k] ?? k).join(', ');
      setFound(
        r.model
          ? `The detector (${r.model.id} ${r.model.version}) marked ${pct(r.share)} of the photo as ${kinds}. Paint what it missed, erase what is not damage.`
          : 'No damage detector is installed: paint the damage by hand.',
      );
    } catch (e) {
      if (!isCancelled(e)) onError(e);
    }
  };

  // The canvases exist once the size is known; draw the detected mask on them.
  useEffect(() => {
    if (size) replay(strokes);
    // Only when a new mask arrives; strokes replay themselves through undo/clear.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [size]);

  const point = (e: ReactPointerEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    return toMaskPoint(e.clientX - r.left, e.clientY - r.top, r.width, r.height, size!.width, size!.height);
  };
  const radius = (e: ReactPointerEvent<HTMLCanvasElement>) => (brush * size!.width) / Math.max(1, e.currentTarget.getBoundingClientRect().width);

  const onDown = (e: ReactPointerEvent<HTMLCanvasElement>) => {
    if (!size || e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    drawing.current = { mode: tool, radius: radius(e), points: [point(e)] };
    paintStroke(mask.current!.getContext('2d')!, drawing.current, size.width, size.height);
    paintView();
  };
  const onMove = (e: ReactPointerEvent<HTMLCanvasElement>) => {
    const s = drawing.current;
    if (!s || !size) return;
    s.points.push(point(e));
    paintStroke(mask.current!.getContext('2d')!, s, size.width, size.height, s.points.length - 1);
    paintView();
  };
  const onUp = () => {
    const s = drawing.current;
    drawing.current = null;
    if (!s) return;
    const next = [...strokes, s];
    setStrokes(next);
    replay(next);
  };
  const undo = () => {
    if (!strokes.length) return;
    const next = strokes.slice(0, -1);
    setStrokes(next);
    replay(next);
  };
  const clear = () => {
    const next = [...strokes, { mode: 'clear' as const, radius: 0, points: [] }];
    setStrokes(next);
    replay(next);
  };

  const send = async () => {
    const m = mask.current;
    if (!m) return;
    setSending(true);
    try {
      const blob = await new Promise<Blob>((resolve, reject) => m.toBlob((b) => (b ? resolve(b) : reject(new Error('The mask could not be encoded'))), 'image/png'));
      const parts = base64Parts(new Uint8Array(await blob.arrayBuffer()));
      const uploadId = Array.from(crypto.getRandomValues(new Uint8Array(12)), (v) => v.toString(16).padStart(2, '0')).join('');
      for (const [part, data] of parts.entries()) {
        await api.call('restore.uploadMask', { photoId, uploadId, part, parts: parts.length, data, ...(geometry ? { geometry } : {}) });
      }
      setSent(strokes);
      onUseEdited(true);
    } catch (e) {
      onError(e);
    } finally {
      setSending(false);
    }
  };

  const changed = sent !== null && sent !== strokes;
  return (
    <section
      className="card mask-editor"
      data-testid="mask-editor"
      tabIndex={-1}
      onKeyDown={(e) => {
        if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z') {
          e.preventDefault();
          undo();
        }
      }}
    >
      <h2>Damage mask</h2>
      <p className="muted small">
        Red marks what the repair fills from its surroundings before the restore; nothing else is touched by it.
      </p>
      <div className="mask-tools">
        <button onClick={() => void findDamage()} disabled={!!job.jobId}>
          {size ? 'Find damage again' : 'Find damage'}
        </button>
        {job.jobId && (
          <button onClick={() => void job.cancel()} className="secondary">
            Cancel
          </button>
        )}
        {size && (
          <>
            <span role="radiogroup" aria-label="Tool">
              <label>
                <input type="radio" name="mask-tool" checked={tool === 'add'} onChange={() => setTool('add')} /> Brush
              </label>
              <label>
                <input type="radio" name="mask-tool" checked={tool === 'erase'} onChange={() => setTool('erase')} /> Eraser
              </label>
            </span>
            <label>
              Size <input type="range" min={2} max={60} value={brush} onChange={(e) => setBrush(Number(e.target.value))} aria-label="Brush size" />
            </label>
            <label>
              <input type="checkbox" checked={show} onChange={(e) => setShow(e.target.checked)} /> Show mask
            </label>
            <button onClick={undo} disabled={!strokes.length} title="Ctrl+Z">
              Undo
            </button>
            <button onClick={clear} className="secondary">
              Clear
            </button>
            <button onClick={() => void send()} disabled={sending} data-testid="use-mask">
              {sending ? 'Sending…' : useEdited && !changed ? 'Mask in use ✓' : 'Use this mask'}
            </button>
            {useEdited && (
              <button onClick={() => onUseEdited(false)} className="secondary">
                Stop using it
              </button>
            )}
          </>
        )}
      </div>
      {job.jobId && <ProgressBar progress={job.progress} label="Finding damage" />}
      {found && <p className="muted small">{found}</p>}
      {size && (
        <p className="muted small" data-testid="mask-share">
          The mask covers {pct(share)} of the photo ({size.width}×{size.height}).
          {changed ? ' Changed since it was sent: press "Use this mask" again.' : useEdited ? ' The preview and the restore repair this mask.' : ''}
        </p>
      )}
      {size && (
        <div className="mask-stage">
          {/* Its size is known before the picture arrives, so the mask has its place (and takes strokes) at once. */}
          <img src={src} alt="Photo under the damage mask" draggable={false} width={size.width} height={size.height} />
          <canvas
            ref={view}
            width={size.width}
            height={size.height}
            style={{ opacity: show ? 1 : 0 }}
            aria-label="Damage mask: drag to paint or erase"
            onPointerDown={onDown}
            onPointerMove={onMove}
            onPointerUp={onUp}
            onPointerCancel={onUp}
          />
        </div>
      )}
    </section>
  );
}

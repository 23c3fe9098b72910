/**
 * A tile restorer with the explicit operations after it: each tile is restored as before, then
 * steered (steer.ts) from what the restorer saw (the tile after the photo's tone matrix) and what it
 * returned. Face crops skip what only makes sense on the photo's own grid (JPEG blocks).
 */
import { applyTone } from '../semantic/tone.js';
import { isPlainPlan, steerTile, type SteerPlan } from './steer.js';
import type { TileRestorer } from '../types.js';

export function steeredRestorer<T extends TileRestorer>(inner: T, plan: SteerPlan, matrix: Float32Array | null | undefined, kind: 'photo' | 'face'): T {
  if (isPlainPlan(plan)) return inner;
  return {
    ...inner,
    async restoreTile(rgb, w, h, call) {
      const restored = await inner.restoreTile(rgb, w, h, call);
      const seen = matrix ? applyTone(Float32Array.from(rgb), matrix) : rgb;
      return steerTile(seen, restored, w, h, plan, kind === 'face' ? { face: true } : { x: call?.x ?? 0, y: call?.y ?? 0 });
    },
  };
}

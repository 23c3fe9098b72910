/**
 * The engine's shared vocabulary: image and geometry types. A leaf module (it
 * imports nothing from the engine), so any engine module may use it without
 * making an import cycle.
 */

/** A point in image pixels, [x, y]. */
export type Point = [number, number];

/** An axis-aligned rectangle in pixels. */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** An HWC RGB float image in 0..1. */
export interface RgbImage {
  rgb: Float32Array;
  width: number;
  height: number;
}

/** A detected face, in the pixel coordinates of the image it was found in. */
export interface Face {
  /** Detector box in image pixels (may extend past the edges for faces cut by the border). */
  box: Rect;
  /** Detector confidence, 0..1. */
  score: number;
  /** iBUG 68-point landmarks in image pixels. */
  landmarks68: Point[];
  /** Left eye centre, right eye centre, nose tip, left and right mouth corner (image left/right). */
  landmarks5: Point[];
  /** 128-d identity embedding (face-api recognition net) when asked for. */
  descriptor?: Float32Array;
}

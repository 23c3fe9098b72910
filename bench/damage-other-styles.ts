/**
 * A second family of drawn damage for bench:damage (`--style other`), in shapes neither the detector's training
 * generator (models/restora_models/damage_synth.py) nor the benchmark's first family draws:
 *   cracks   emulsion cracks: a jagged random walk that forks, 0.7-2 px, darker or lighter than the photo;
 *   dashes   a broken scratch: a straight run of dashes with gaps, as a worn transport roller leaves;
 *   fibres   short curly hairs and threads (15-60 px long, under 1.3 px wide), dark or light;
 *   rings    coffee and water rings: a thin brown tide line around a faint tint (the tint is under the mask's
 *            alpha floor, so only the ring is damage);
 *   mould    clusters of tiny specks (foxing and mould), 10-40 in a few tens of pixels.
 * Colours are relative to the photo under them (a crack darkens what it crosses by 35-75 %), not fixed inks.
 * The mask convention is the first family's: alpha ≥ 0.25 and a visible change (more than 8 of 255).
 */
export interface DrawnPhoto {
  rgb: Uint8Array;
  w: number;
  h: number;
}

export function drawOtherDamage(p: DrawnPhoto, rand: () => number): { damaged: Uint8Array; mask: Uint8Array } {
  const { w, h } = p;
  const alpha = new Float32Array(w * h);
  /** Per pixel: 0 = toward black by alpha, 1 = toward white, 2 = toward the ring's brown. */
  const mode = new Uint8Array(w * h);
  const paint = (x: number, y: number, a: number, m: number) => {
    const xi = Math.round(x), yi = Math.round(y);
    if (xi < 0 || yi < 0 || xi >= w || yi >= h) return;
    const q = yi * w + xi;
    if (a <= alpha[q]!) return;
    alpha[q] = a;
    mode[q] = m;
  };
  /** A disc of radius r (anti-aliased) at (cx, cy). */
  const dab = (cx: number, cy: number, r: number, strength: number, m: number) => {
    for (let y = Math.floor(cy - r - 1); y <= Math.ceil(cy + r + 1); y++)
      for (let x = Math.floor(cx - r - 1); x <= Math.ceil(cx + r + 1); x++) paint(x, y, strength * Math.max(0, Math.min(1, r + 0.5 - Math.hypot(x - cx, y - cy))), m);
  };
  const side = Math.max(w, h);

  // Cracks: 1-3 networks, each a jagged walk with 1-3 forks.
  const cracks = 1 + Math.floor(rand() * 3);
  for (let c = 0; c < cracks; c++) {
    const m = rand() < 0.7 ? 0 : 1, r = 0.35 + 0.65 * rand(), strength = 0.35 + 0.4 * rand();
    const walks: Array<[number, number, number, number]> = [[rand() * w, rand() * h, rand() * 2 * Math.PI, (0.15 + 0.35 * rand()) * side]];
    for (let i = 0; i < walks.length; i++) {
      const len = walks[i]![3];
      let [x, y, ang] = walks[i]!;
      for (let s = 0; s < len; s += 0.5) {
        if (s % 4 < 0.5) ang += (rand() - 0.5) * 1.2;
        x += Math.cos(ang) * 0.5;
        y += Math.sin(ang) * 0.5;
        dab(x, y, r, strength, m);
        if (walks.length < 4 && rand() < 0.004) walks.push([x, y, ang + (rand() < 0.5 ? -1 : 1) * (0.5 + rand()), len * 0.4]);
      }
    }
  }
  // Dashes: 1-2 straight broken scratches, mostly vertical, light.
  const dashes = 1 + Math.floor(rand() * 2);
  for (let d = 0; d < dashes; d++) {
    const ang = Math.PI / 2 + (rand() - 0.5) * 0.3, len = (0.4 + 0.6 * rand()) * side, r = 0.5 + 0.75 * rand(), strength = 0.6 + 0.35 * rand();
    let x = rand() * w, y = rand() * h * 0.3, on = true, left = 5 + 25 * rand();
    for (let s = 0; s < len; s += 0.5) {
      x += Math.cos(ang) * 0.5;
      y += Math.sin(ang) * 0.5;
      if ((left -= 0.5) <= 0) {
        on = !on;
        left = on ? 5 + 25 * rand() : 3 + 12 * rand();
      }
      if (on) dab(x, y, r, strength, 1);
    }
  }
  // Fibres: 3-10 short curly threads.
  const fibres = 3 + Math.floor(rand() * 8);
  for (let f = 0; f < fibres; f++) {
    const m = rand() < 0.6 ? 0 : 1, len = 15 + 45 * rand(), r = 0.3 + 0.35 * rand(), strength = 0.55 + 0.4 * rand();
    let x = rand() * w, y = rand() * h, ang = rand() * 2 * Math.PI;
    const curl = (rand() - 0.5) * 0.25, wiggle = 0.05 + 0.15 * rand();
    for (let s = 0; s < len; s += 0.4) {
      ang += curl + Math.sin(s * wiggle * 3) * wiggle;
      x += Math.cos(ang) * 0.4;
      y += Math.sin(ang) * 0.4;
      dab(x, y, r, strength, m);
    }
  }
  // Rings: 0-2 tide lines around a faint tint.
  const rings = Math.floor(rand() * 3);
  for (let g = 0; g < rings; g++) {
    const cx = rand() * w, cy = rand() * h, rr = 8 + 17 * rand(), width = 1.5 + 1.5 * rand(), ex = 0.8 + 0.4 * rand(), ph = rand() * 6;
    for (let y = Math.floor(cy - rr * 1.5 - width); y <= Math.ceil(cy + rr * 1.5 + width); y++)
      for (let x = Math.floor(cx - rr * 1.5 - width); x <= Math.ceil(cx + rr * 1.5 + width); x++) {
        const th = Math.atan2(y - cy, x - cx), rad = rr * (1 + 0.12 * Math.sin(3 * th + ph));
        const d = Math.hypot((x - cx) / ex, y - cy) - rad;
        const ring = Math.max(0, Math.min(1, width / 2 + 0.5 - Math.abs(d))) * 0.7;
        paint(x, y, d < 0 ? Math.max(ring, 0.15) : ring, 2);
      }
  }
  // Mould: 0-3 clusters of tiny specks.
  const clusters = Math.floor(rand() * 4);
  for (let k = 0; k < clusters; k++) {
    const cx = rand() * w, cy = rand() * h, spread = 10 + 15 * rand(), n = 10 + Math.floor(rand() * 30), m = rand() < 0.5 ? 0 : 1;
    for (let i = 0; i < n; i++) {
      const a = rand() * 2 * Math.PI, d = spread * Math.sqrt(rand());
      dab(cx + Math.cos(a) * d, cy + Math.sin(a) * d, 0.4 + 1.1 * rand(), 0.6 + 0.4 * rand(), m);
    }
  }

  const damaged = new Uint8Array(p.rgb.length);
  const mask = new Uint8Array(w * h);
  const brown = [120, 80, 40];
  for (let q = 0; q < w * h; q++) {
    const a = alpha[q]!;
    let change = 0;
    for (let c = 0; c < 3; c++) {
      const v0 = p.rgb[q * 3 + c]!;
      const target = mode[q] === 0 ? 0 : mode[q] === 1 ? 255 : brown[c]!;
      const v = Math.round(v0 * (1 - a) + target * a);
      damaged[q * 3 + c] = v;
      change = Math.max(change, Math.abs(v - v0));
    }
    mask[q] = a >= 0.25 && change > 8 ? 255 : 0;
  }
  return { damaged, mask };
}

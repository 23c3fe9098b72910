/**
 * The settings an instruction can state, as the Restore panel shows them and the recipe records them.
 * Each has a defined effect (electron/engine/steering/): the learned models are steered by the
 * integrator's tokens, and an explicit operation makes what the words (or an edit) ask certain.
 * The integrator's own slots (models/restora_models/semantics.py) are coarser; `integratorForce`
 * maps these values onto the values it knows.
 */
import { z } from 'zod';

export const SLOT_VALUES = {
  scratches: ['fix', 'leave'],
  dust: ['fix', 'leave'],
  blotches: ['fix', 'leave'],
  noise: ['fix', 'leave'],
  grain: ['remove', 'reduce', 'keep'],
  blur: ['fix', 'leave'],
  sharpness: ['soft', 'natural', 'crisp'],
  jpeg: ['fix', 'leave'],
  fading: ['fix', 'leave'],
  tone: ['keep', 'neutral', 'warm', 'cool', 'restore', 'bw'],
  strength: ['gentle', 'normal', 'strong'],
  scope: ['all', 'faces', 'background'],
  identity: ['free', 'keep'],
} as const;

export type SlotName = keyof typeof SLOT_VALUES;
export type SlotValue<S extends SlotName = SlotName> = (typeof SLOT_VALUES)[S][number];
export const SLOT_NAMES = Object.keys(SLOT_VALUES) as SlotName[];

/** Damage kinds: "fix" or "leave"; when the words say nothing the photo decides. */
export const DAMAGE_SLOTS = ['scratches', 'dust', 'blotches', 'noise', 'blur', 'jpeg', 'fading'] as const satisfies readonly SlotName[];

/** Slots that can differ between the faces and the rest ("sharpen the faces, leave the background soft"). */
export const REGIONAL_SLOTS = ['scratches', 'dust', 'blotches', 'noise', 'grain', 'blur', 'sharpness', 'jpeg', 'strength'] as const satisfies readonly SlotName[];

/** One colour matrix and one scope per photo: these are never per region. */
export const PHOTO_SLOTS = ['fading', 'tone', 'scope', 'identity'] as const satisfies readonly SlotName[];

export type Region = 'all' | 'faces' | 'background';

export const SLOT_LABELS: Record<SlotName, string> = {
  scratches: 'Scratches',
  dust: 'Dust',
  blotches: 'Stains',
  noise: 'Noise',
  grain: 'Grain',
  blur: 'Blur',
  sharpness: 'Sharpness',
  jpeg: 'JPEG blocks',
  fading: 'Fading',
  tone: 'Tone',
  strength: 'Strength',
  scope: 'Where',
  identity: 'Faces',
};

/** What each value does, in plain words (chip tooltips, `--explain`). */
export const VALUE_HELP: { [S in SlotName]: Record<SlotValue<S>, string> } = {
  scratches: { fix: 'thin lines, creases and tears are filled in', leave: 'thin lines stay exactly as in the original' },
  dust: { fix: 'small specks and spots are filled in', leave: 'specks stay exactly as in the original' },
  blotches: { fix: 'stains and blotches are evened out', leave: 'stains stay exactly as in the original' },
  noise: { fix: 'colour noise is smoothed', leave: 'colour noise stays as in the original' },
  grain: { remove: 'fine grain is removed', reduce: 'half of the fine grain is kept', keep: "the photo's own fine grain is put back" },
  blur: { fix: 'edges are restored', leave: 'edges stay as soft as in the original' },
  sharpness: { soft: 'softened a little', natural: 'no extra sharpening or softening', crisp: 'edges sharpened (unsharp mask)' },
  jpeg: { fix: 'JPEG blocks are smoothed', leave: 'JPEG blocks are not treated' },
  fading: { fix: 'tones stretched to the full range', leave: 'contrast and fading kept' },
  tone: { keep: 'colours and toning kept', neutral: 'cast or sepia taken out', warm: 'warmer', cool: 'cooler', restore: 'faded colours brought back', bw: 'neutral black and white' },
  strength: { gentle: 'half of the change, gentler thresholds', normal: 'the full restoration', strong: 'stronger: every repair the photo needs, turned up' },
  scope: { all: 'the whole photo', faces: 'only the faces', background: 'everything but the faces' },
  identity: { free: 'faces restored fully', keep: 'faces stay close to the original' },
};

export const DEFAULTS: { [S in SlotName]?: SlotValue<S> } = { sharpness: 'natural', tone: 'keep', strength: 'normal', scope: 'all', identity: 'free' };

/** Where a value came from: the words, implied by other words, the learned reader's reading of the words, the user's edit, the photo (integrator), or the default. */
export type SlotSource = 'words' | 'implied' | 'learned' | 'edit' | 'photo' | 'default';

export interface SlotReading {
  value: string;
  source: SlotSource;
  /** The phrase (or reason) that decided it. */
  because?: string;
}

export type SlotSettings = Partial<Record<SlotName, SlotReading>>;

export function isSlotName(s: string): s is SlotName {
  return Object.prototype.hasOwnProperty.call(SLOT_VALUES, s);
}

export function isSlotValue(slot: SlotName, v: string): boolean {
  return (SLOT_VALUES[slot] as readonly string[]).includes(v) || (slot === 'strength' && strengthNumber(v) !== undefined);
}

/**
 * Strength as a number: "0.3" (or ".3", "0", "1") is how much of the normal restoration is kept, a
 * blend of the result toward what the restorer saw; gentle, normal and strong are named steps beside
 * it (gentle keeps half, with gentler thresholds; strong goes past 1). Undefined for anything else.
 */
export function strengthNumber(v: string): number | undefined {
  if (!/^(?:0|1|0?\.\d+|1\.0+)$/.test(v.trim())) return undefined;
  return Number(v);
}

/** A strength number as the recipe records it: two decimals at most ("0.3", "1"). */
export function strengthValue(x: number): string {
  return String(Math.round(Math.min(1, Math.max(0, x)) * 100) / 100);
}

/** A key for an edit or a statement: "grain", or "faces.sharpness" / "background.blur" for one region. */
export function slotKey(region: Region, slot: SlotName): string {
  return region === 'all' ? slot : `${region}.${slot}`;
}

export function parseSlotKey(key: string): { region: Region; slot: SlotName } | null {
  const m = /^(?:(faces|background)\.)?([a-z]+)$/.exec(key.trim().toLowerCase().replace(/\s+/g, ''));
  const slot = m ? (isSlotName(m[2]!) ? m[2]! : LABEL_KEYS.get(m[2]!)) : undefined;
  if (!m || !slot) return null;
  const region = (m[1] ?? 'all') as Region;
  if (region !== 'all' && !(REGIONAL_SLOTS as readonly string[]).includes(slot)) return null;
  return { region, slot: slot as SlotName };
}

/** The chips' labels as keys too ("Where: faces", "Stains: leave", "JPEG blocks: fix"), as a user copies them. */
const LABEL_KEYS = new Map<string, SlotName>(
  SLOT_NAMES.map((s) => [SLOT_LABELS[s].toLowerCase().replace(/\s+/g, ''), s] as const).filter(([k]) => !isSlotName(k)),
);

/** Edits from the Restore panel or `--set`: "grain" → "keep", "faces.sharpness" → "crisp". */
export const SlotEdits = z
  .record(z.string().max(40), z.string().max(20))
  .superRefine((edits, ctx) => {
    for (const [key, value] of Object.entries(edits)) {
      const k = parseSlotKey(key);
      if (!k) ctx.addIssue({ code: 'custom', message: `Unknown setting "${key}" (one of ${SLOT_NAMES.join(', ')}; faces./background. for ${REGIONAL_SLOTS.join(', ')})` });
      else if (!isSlotValue(k.slot, value)) ctx.addIssue({ code: 'custom', message: `"${value}" is not a value of ${k.slot} (${SLOT_VALUES[k.slot].join(', ')}${k.slot === 'strength' ? ', or a number from 0 to 1' : ''})` });
    }
  });
export type SlotEdits = z.infer<typeof SlotEdits>;

/** What the recipe and the Restore panel get: the words, what was understood per region, edits and notes. */
export const SteeringRecord = z.object({
  instruction: z.string(),
  /** The canonical sentence the integrator read for each region (synonyms give the same one). */
  canonical: z.record(z.string(), z.string()),
  /** Final settings per region ("all", and "faces" when the faces differ). */
  regions: z.record(z.string(), z.record(z.string(), z.object({ value: z.string(), source: z.string(), because: z.string().optional() }))),
  edits: z.record(z.string(), z.string()),
  notes: z.array(z.string()),
});
export type SteeringRecord = z.infer<typeof SteeringRecord>;

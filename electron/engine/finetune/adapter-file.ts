/**
 * The adapter file (.radapter): what an export writes and an import checks.
 *
 *   8 bytes  magic "RSTADPT1"
 *   4 bytes  header length H (uint32 LE), H <= 64 KiB
 *   H bytes  JSON header (AdapterHeader)
 *   4*size   float32 LE adapter values
 *
 * The header carries the sha256 of the values and the sha256 of the base
 * restorer the adapter was fitted for, so a damaged file, a file that is not an
 * adapter at all, or one made for another restorer is refused with the reason.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { RestoraError } from '../../shared/errors.js';
import { describeIssues } from '../../shared/rpc.js';
import { AdapterName, Evaluation } from '../../shared/contract/finetune.js';

const MAGIC = Buffer.from('RSTADPT1', 'ascii');
const MAX_HEADER = 64 * 1024;
/** Largest adapter accepted (values); the shipped layout has ~10k. */
export const MAX_ADAPTER_VALUES = 1_000_000;
/** Any |value| above this is not a fitted adapter (they stay near zero). */
const MAX_ABS_VALUE = 1e3;

export const AdapterHeader = z.object({
  format: z.literal(1),
  name: AdapterName,
  size: z.number().int().positive().max(MAX_ADAPTER_VALUES),
  valuesSha256: z.string().regex(/^[0-9a-f]{64}$/),
  base: z.object({ id: z.string().max(100), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  createdAt: z.number(),
  steps: z.number().int().nonnegative(),
  references: z.number().int().nonnegative(),
  picks: z.number().int().nonnegative(),
  evaluation: Evaluation.nullable(),
});
export type AdapterHeader = z.infer<typeof AdapterHeader>;

export interface AdapterFile {
  header: AdapterHeader;
  values: Float32Array;
}

function sha256(buf: Uint8Array): string {
  return createHash('sha256').update(buf).digest('hex');
}

export function encodeAdapter(header: Omit<AdapterHeader, 'valuesSha256' | 'size' | 'format'>, values: Float32Array): Buffer {
  const data = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) data.writeFloatLE(values[i]!, i * 4);
  const full: AdapterHeader = AdapterHeader.parse({ ...header, format: 1, size: values.length, valuesSha256: sha256(data) });
  const json = Buffer.from(JSON.stringify(full), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length, 0);
  return Buffer.concat([MAGIC, len, json, data]);
}

/** Parses and checks an adapter file. `what` names it in messages (e.g. its file name). */
export function decodeAdapter(buf: Uint8Array, what = 'The file'): AdapterFile {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const bad = (why: string) => new RestoraError('CorruptInput', `${what} is not a usable Restora adapter: ${why}`);
  if (b.length < 12 || !b.subarray(0, 8).equals(MAGIC)) throw bad('it does not start like an adapter file (wrong kind of file)');
  const h = b.readUInt32LE(8);
  if (h === 0 || h > MAX_HEADER || 12 + h > b.length) throw bad('its header is damaged');
  let raw: unknown;
  try {
    raw = JSON.parse(b.subarray(12, 12 + h).toString('utf8'));
  } catch {
    throw bad('its header is damaged (not readable)');
  }
  const parsed = AdapterHeader.safeParse(raw);
  if (!parsed.success) throw bad(`its header is invalid (${describeIssues(parsed.error)})`);
  const header = parsed.data;
  const data = b.subarray(12 + h);
  if (data.length !== header.size * 4) throw bad(`it should hold ${header.size} values but holds ${Math.floor(data.length / 4)} (truncated or padded)`);
  if (sha256(data) !== header.valuesSha256) throw bad('its values do not match their checksum (the file is damaged)');
  const values = new Float32Array(header.size);
  for (let i = 0; i < header.size; i++) {
    const v = data.readFloatLE(i * 4);
    if (!Number.isFinite(v) || Math.abs(v) > MAX_ABS_VALUE) throw bad('it contains values out of range');
    values[i] = v;
  }
  return { header, values };
}

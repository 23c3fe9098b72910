/** Width and height from a PNG's header, or null when the bytes are not a PNG (no image library needed). */
const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function pngSize(buf: Uint8Array): { width: number; height: number } | null {
  if (buf.length < 24 || SIGNATURE.some((b, i) => buf[i] !== b)) return null;
  if (String.fromCharCode(buf[12]!, buf[13]!, buf[14]!, buf[15]!) !== 'IHDR') return null;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

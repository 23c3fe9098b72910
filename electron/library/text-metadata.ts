/**
 * The words a photo's file carries about itself, for search and the
 * information panel: caption (EXIF ImageDescription, Windows XPTitle /
 * XPSubject / XPComment, EXIF UserComment, XMP dc:title / dc:description /
 * photoshop:Headline, IPTC object name, headline and caption), author (EXIF
 * Artist, XPAuthor, XMP dc:creator, IPTC by-line), copyright (EXIF, XMP
 * dc:rights, IPTC) and keywords (XPKeywords, XMP dc:subject, IPTC keywords).
 * Read from the header sharp already parsed; nothing here decodes pixels.
 */
import exifReader from 'exif-reader';

export interface TextMetadata {
  caption: string | null;
  artist: string | null;
  copyright: string | null;
  keywords: string | null;
}

/** Longest text kept per field: captions are sentences, not documents. */
const MAX_FIELD = 2000;

export const NO_TEXT: TextMetadata = { caption: null, artist: null, copyright: null, keywords: null };

function clean(s: string): string {
  return s.replace(/\u0000/g, '').replace(/[\u0001-\u0008\u000b\u000c\u000e-\u001f]/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Distinct non-empty values joined, in order, cut to MAX_FIELD. */
function join(values: Array<string | null | undefined>, sep = ' · '): string | null {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of values) {
    const c = v ? clean(v) : '';
    if (c && !seen.has(c.toLowerCase())) {
      seen.add(c.toLowerCase());
      out.push(c);
    }
  }
  const text = out.join(sep);
  return text ? text.slice(0, MAX_FIELD) : null;
}

/** Windows' XP* tags: UCS-2 little-endian bytes. */
function ucs2(v: unknown): string | null {
  if (!Array.isArray(v) && !Buffer.isBuffer(v)) return typeof v === 'string' ? v : null;
  return Buffer.from(v as number[]).toString('utf16le');
}

/** EXIF UserComment: an 8-byte character-code prefix, then the text. */
function userComment(v: unknown): string | null {
  if (!Buffer.isBuffer(v) || v.length <= 8) return null;
  const code = v.subarray(0, 8).toString('latin1').replace(/\0/g, '').toUpperCase();
  const body = v.subarray(8);
  if (code === 'UNICODE') return body.toString('utf16le');
  if (code === 'ASCII' || code === '') return body.toString('utf8');
  return null;
}

/** EXIF ASCII fields are often UTF-8 in practice; exif-reader reads them as Latin-1. */
function exifText(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const bytes = Buffer.from(v, 'latin1');
  const utf8 = bytes.toString('utf8');
  return utf8.includes('\uFFFD') ? v : utf8;
}

function fromExif(buf: Buffer | undefined): TextMetadata {
  if (!buf) return NO_TEXT;
  let exif: { Image?: Record<string, unknown>; Photo?: Record<string, unknown> };
  try {
    exif = exifReader(buf) as typeof exif;
  } catch {
    return NO_TEXT;
  }
  const img = exif.Image ?? {};
  return {
    caption: join([exifText(img.ImageDescription), ucs2(img.XPTitle), ucs2(img.XPSubject), ucs2(img.XPComment), userComment(exif.Photo?.UserComment)]),
    artist: join([exifText(img.Artist), ucs2(img.XPAuthor)]),
    copyright: join([exifText(img.Copyright)]),
    keywords: join((ucs2(img.XPKeywords) ?? '').split(';'), ', '),
  };
}

function xmlText(s: string): string {
  return s
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Math.min(0x10ffff, Number(n))))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(Math.min(0x10ffff, parseInt(n, 16))))
    .replace(/&amp;/g, '&');
}

/** The values of one XMP property: its rdf:li items, its element text, or its attribute form. */
function xmpValues(xmp: string, prop: string): string[] {
  const out: string[] = [];
  const element = new RegExp(`<${prop}(?:\\s[^>]*)?>([\\s\\S]*?)</${prop}>`, 'g');
  for (const m of xmp.matchAll(element)) {
    const items = [...m[1]!.matchAll(/<rdf:li(?:\s[^>]*)?>([\s\S]*?)<\/rdf:li>/g)].map((li) => xmlText(li[1]!));
    out.push(...(items.length ? items : [xmlText(m[1]!)]));
  }
  const attribute = new RegExp(`\\s${prop}="([^"]*)"`, 'g');
  for (const m of xmp.matchAll(attribute)) out.push(xmlText(m[1]!));
  return out;
}

function fromXmp(buf: Buffer | undefined): TextMetadata {
  if (!buf) return NO_TEXT;
  const xmp = buf.toString('utf8').slice(0, 256 * 1024);
  return {
    caption: join([...xmpValues(xmp, 'dc:title'), ...xmpValues(xmp, 'photoshop:Headline'), ...xmpValues(xmp, 'dc:description')]),
    artist: join(xmpValues(xmp, 'dc:creator')),
    copyright: join(xmpValues(xmp, 'dc:rights')),
    keywords: join(xmpValues(xmp, 'dc:subject'), ', '),
  };
}

/** IPTC-IIM datasets of record 2 (application record), by dataset number. */
function iptcDatasets(buf: Buffer): Map<number, string[]> {
  const out = new Map<number, string[]>();
  let i = buf.indexOf(0x1c);
  while (i >= 0 && i + 5 <= buf.length) {
    if (buf[i] !== 0x1c) break;
    const record = buf[i + 1]!;
    const dataset = buf[i + 2]!;
    const len = buf.readUInt16BE(i + 3);
    // Extended lengths (high bit) are for binary data, never text; stop there.
    if (len & 0x8000) break;
    const start = i + 5;
    if (start + len > buf.length) break;
    if (record === 2) {
      const list = out.get(dataset) ?? [];
      list.push(buf.subarray(start, start + len).toString('utf8'));
      out.set(dataset, list);
    }
    i = start + len;
  }
  return out;
}

function fromIptc(buf: Buffer | undefined): TextMetadata {
  if (!buf) return NO_TEXT;
  const d = iptcDatasets(buf);
  return {
    caption: join([...(d.get(5) ?? []), ...(d.get(105) ?? []), ...(d.get(120) ?? [])]),
    artist: join(d.get(80) ?? []),
    copyright: join(d.get(116) ?? []),
    keywords: join(d.get(25) ?? [], ', '),
  };
}

/** Everything the header says in words; each field merged from EXIF, XMP and IPTC without repeats. */
export function readTextMetadata(meta: { exif?: Buffer | undefined; xmp?: Buffer | undefined; iptc?: Buffer | undefined }): TextMetadata {
  const parts = [fromExif(meta.exif), fromXmp(meta.xmp), fromIptc(meta.iptc)];
  const field = (k: keyof TextMetadata, sep?: string) => join(parts.flatMap((p) => (p[k] ? p[k]!.split(sep ?? ' · ') : [])), sep);
  return { caption: field('caption'), artist: field('artist'), copyright: field('copyright'), keywords: field('keywords', ', ') };
}

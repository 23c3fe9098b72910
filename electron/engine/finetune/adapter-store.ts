/**
 * Adapters in <data>/adapters as "<name>.radapter" files: list, read, save,
 * rename, delete, import and export. Every file read is validated
 * (adapter-file.ts) and checked against the installed restorer.
 */
import fs from 'node:fs';
import path from 'node:path';
import { RestoraError } from '../../shared/errors.js';
import { AdapterName, type AdapterInfo } from '../../shared/contract/finetune.js';
import { decodeAdapter, encodeAdapter, type AdapterFile, type AdapterHeader } from './adapter-file.js';
import { writeFileAtomicSync } from '../../node/atomic-write.js';

const EXT = '.radapter';
/** An adapter file is small (~40 kB for the shipped layout); anything far larger is refused unread. */
const MAX_FILE_BYTES = 8 * 1024 * 1024;

export interface BaseRef {
  sha256: string;
  size: number;
}

export class AdapterStore {
  constructor(private readonly dir: string, private readonly base: () => BaseRef | null) {
    fs.mkdirSync(dir, { recursive: true });
  }

  private file(name: string): string {
    return path.join(this.dir, `${AdapterName.parse(name)}${EXT}`);
  }

  private problem(h: AdapterHeader): string | null {
    const base = this.base();
    if (!base) return 'the restorer adapter graphs are not installed';
    if (h.base.sha256 !== base.sha256 || h.size !== base.size) return 'it was made for a different version of the restorer';
    return null;
  }

  private info(h: AdapterHeader): AdapterInfo {
    const problem = this.problem(h);
    return {
      name: h.name, size: h.size, createdAt: h.createdAt, steps: h.steps, references: h.references, picks: h.picks,
      evaluation: h.evaluation, compatible: !problem, ...(problem ? { problem } : {}),
    };
  }

  list(): AdapterInfo[] {
    const out: AdapterInfo[] = [];
    for (const f of fs.readdirSync(this.dir).sort()) {
      if (!f.endsWith(EXT)) continue;
      try {
        out.push(this.info(this.readFile(path.join(this.dir, f)).header));
      } catch {
        /* a damaged file is skipped here; reading it by name says why */
      }
    }
    return out.sort((a, b) => b.createdAt - a.createdAt);
  }

  exists(name: string): boolean {
    return fs.existsSync(this.file(name));
  }

  private readFile(file: string): AdapterFile {
    const st = fs.statSync(file);
    if (st.size > MAX_FILE_BYTES) throw new RestoraError('TooLarge', `${path.basename(file)} is too large to be an adapter`);
    return decodeAdapter(fs.readFileSync(file), path.basename(file));
  }

  /** The adapter's values, checked for the installed restorer. */
  load(name: string): AdapterFile {
    const file = this.file(name);
    if (!fs.existsSync(file)) throw new RestoraError('NotFound', `There is no adapter named "${name}"`);
    const a = this.readFile(file);
    const problem = this.problem(a.header);
    if (problem) throw new RestoraError('Unsupported', `Adapter "${name}" cannot be used: ${problem}`);
    return a;
  }

  save(header: Omit<AdapterHeader, 'valuesSha256' | 'size' | 'format'>, values: Float32Array, opts: { overwrite?: boolean } = {}): AdapterInfo {
    const file = this.file(header.name);
    if (!opts.overwrite && fs.existsSync(file)) throw new RestoraError('Conflict', `An adapter named "${header.name}" already exists`);
    const buf = encodeAdapter(header, values);
    writeFileAtomicSync(file, buf);
    return this.info(decodeAdapter(buf).header);
  }

  rename(name: string, newName: string): AdapterInfo {
    const a = this.readByName(name);
    if (AdapterName.parse(newName) === AdapterName.parse(name)) return this.info(a.header);
    if (this.exists(newName)) throw new RestoraError('Conflict', `An adapter named "${newName}" already exists`);
    const info = this.save({ ...a.header, name: AdapterName.parse(newName) }, a.values);
    fs.rmSync(this.file(name), { force: true });
    return info;
  }

  delete(name: string): void {
    const file = this.file(name);
    if (!fs.existsSync(file)) throw new RestoraError('NotFound', `There is no adapter named "${name}"`);
    fs.rmSync(file);
  }

  private readByName(name: string): AdapterFile {
    const file = this.file(name);
    if (!fs.existsSync(file)) throw new RestoraError('NotFound', `There is no adapter named "${name}"`);
    return this.readFile(file);
  }

  exportBytes(name: string): { fileName: string; bytes: Buffer } {
    const file = this.file(name);
    this.readByName(name);
    return { fileName: path.basename(file), bytes: fs.readFileSync(file) };
  }

  /** Validates and stores an adapter file's bytes; refuses foreign, damaged or incompatible files. */
  importBytes(bytes: Uint8Array, what: string, name?: string): AdapterInfo {
    if (bytes.length > MAX_FILE_BYTES) throw new RestoraError('TooLarge', `${what} is too large to be an adapter`);
    const a = decodeAdapter(bytes, what);
    const problem = this.problem(a.header);
    if (problem) throw new RestoraError('Unsupported', `${what} cannot be imported: ${problem}`);
    return this.save({ ...a.header, name: name ? AdapterName.parse(name) : a.header.name }, a.values);
  }
}

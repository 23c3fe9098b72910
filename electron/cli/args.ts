/** Minimal argument parsing: positional words, --flag, --key value / --key=value, -o value. */
export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

const SHORT: Record<string, string> = { o: 'output', h: 'help', i: 'instruction' };

/**
 * Parses `argv`. With `known`, an option that is neither in `valued` nor
 * `known` is refused (the error says why, see options.ts) before anything runs.
 */
export function parseArgs(argv: string[], valued: Set<string>, known?: { names: Set<string>; unknown(name: string): string }): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--') || (a.startsWith('-') && a.length === 2)) {
      let name = a.startsWith('--') ? a.slice(2) : (SHORT[a.slice(1)] ?? a.slice(1));
      let value: string | true = true;
      const eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.slice(eq + 1);
        name = name.slice(0, eq);
      }
      if (known && !known.names.has(name) && !valued.has(name)) throw new Error(known.unknown(name));
      if (eq >= 0) {
        if (known && !valued.has(name)) throw new Error(`--${name} takes no value`);
      } else if (valued.has(name)) {
        const next = argv[i + 1];
        if (next === undefined || (known && /^--[a-z]/.test(next))) throw new Error(`--${name} needs a value`);
        value = next;
        i++;
      }
      flags.set(name, value);
    } else positional.push(a);
  }
  return { positional, flags };
}

export function flagString(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function flagNumber(args: ParsedArgs, name: string): number | undefined {
  const v = flagString(args, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got "${v}"`);
  return n;
}

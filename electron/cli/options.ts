/**
 * The options each `restora` command accepts, and its `--help`. Anything else
 * is refused before the command runs, with the nearest known option: a typo
 * such as `--instrution "keep the grain"` must not turn into a file named
 * "keep the grain" that does not exist.
 */
import { DEFAULT_FINETUNE_LR, DEFAULT_FINETUNE_STEPS } from '../shared/contract/finetune.js';

export interface CommandOptions {
  /** Options that take a value (--name VALUE or --name=VALUE). */
  valued: readonly string[];
  /** Options that are on or off. */
  switches: readonly string[];
  /** What `restora <command> --help` prints. */
  help: string;
}

/** Accepted by every command. */
export const COMMON_SWITCHES = ['json', 'help'] as const;

const RESTORE_SETTINGS = ['instruction', 'mode', 'fidelity', 'seed', 'steps', 'guidance', 'device', 'adapter'] as const;

export const COMMANDS: Record<string, CommandOptions> = {
  import: {
    valued: [],
    switches: ['resume'],
    help: `Usage: restora import <files|folders...>
       restora import --resume [RUN]
  Import files and folders into the library (folders with their subfolders).
  --resume [RUN]   Continue a stopped import (full disk, killed, cancelled); the last one without RUN`,
  },
  list: {
    valued: ['query', 'limit'],
    switches: [],
    help: `Usage: restora list [--query TEXT] [--limit N]
  List the photos of the library, best match first when searching.
  --query TEXT   Words found anywhere in names, folders, tags, albums, captions, authors
  --limit N      At most N photos (default 1000)`,
  },
  restore: {
    valued: ['output', ...RESTORE_SETTINGS, 'queue', 'recipe', 'mask', 'set'],
    switches: ['library', 'variation', 'local', 'no-repair', 'explain'],
    help: `Usage: restora restore <files|folders...> -o DIR [options]
       restora restore --library <photoIds...> [options]   (results become versions)
  --instruction, -i TEXT  What to fix, e.g. "remove the scratches but keep the grain"
  --mode fast|generative  --fidelity 0..1  --device cpu|cuda|webgpu|dml|coreml
  --steps 1..32, --guidance 0..10 (generative); --seed N or --variation for a variation
  --adapter NAME          Apply a fine-tuned adapter
  --set SLOT=VALUE        Override one setting (repeatable), e.g. --set grain=keep --set faces.sharpness=crisp
  --explain               Print how the instruction was understood, per photo
  --mask FILE             The damage to repair, white on black, the size of the photo; --no-repair: none
  --recipe VERSION_ID     Restore with the recipe of an existing version (its crop refitted to each photo)
  --queue URL / --local   Through a job queue's workers, or here`,
  },
  people: {
    valued: ['query', 'limit'],
    switches: ['library'],
    help: `Usage: restora people [list] [--query NAME] [--limit N]
       restora people find [--library <photoIds...>]
       restora people name ID NAME
       restora people merge A B
       restora people same [--limit N]
       restora people apart A B
  The people found in the library's photos, most photographed first.
  find        Find the faces (with identity descriptors) of the photos not looked at yet and group them
              into people; a stopped run goes on where it stopped. --library: only these photos
  name        Name or rename person ID (an empty NAME clears it); searching the library finds the name
  merge       Person B's faces join person A (A keeps its name, or takes B's)
  same        Pairs of people whose faces look alike (maybe one person in two groups), nearest first
  apart       Persons A and B are not one person: the pair is not offered by "same" again`,
  },
  analyze: {
    valued: [],
    switches: ['library'],
    help: `Usage: restora analyze <files|folders...> [--json]
       restora analyze --library <photoIds...> [--json]
  Per photo: the faces found (box x, y, width, height in the photo's pixels after
  EXIF orientation, score, 5 landmarks) and the damage estimates, as the Restore panel shows them.
  --library   Analyse library photos instead; their faces are stored in the library`,
  },
  export: {
    valued: ['output', 'format', 'quality', 'naming', 'long-edge', 'metadata'],
    switches: ['originals'],
    help: `Usage: restora export <photoIds...> -o DIR [options]
  Exports each photo's preferred version (the original if it has none).
  --originals                  Export the originals instead
  --format jpeg|png|webp|tiff|avif  --quality 1..100
  --naming PATTERN             File names from {name}, {version}, {n}, {date}
  --long-edge PX               Resize so the longest side is at most PX
  --metadata all|essential|none  What of the metadata to keep (colour profile and dpi are always kept)`,
  },
  finetune: {
    valued: ['name', 'steps', 'album', 'tag', 'resume', 'lr', 'l2'],
    switches: ['library'],
    help: `Usage: restora finetune <files|folders...> --name NAME
       restora finetune --library <ids...> | --album ID | --tag TAG --name NAME
  --steps N (${DEFAULT_FINETUNE_STEPS}), --lr X (${DEFAULT_FINETUNE_LR}), --l2 X, --resume RUNID (continue a stopped run)`,
  },
  adapters: {
    valued: ['output', 'name'],
    switches: [],
    help: `Usage: restora adapters [list]
       restora adapters rename OLD NEW | delete NAME | export NAME -o FILE | import FILE [--name NAME]`,
  },
  worker: {
    valued: ['queue', 'concurrency', 'device'],
    switches: [],
    help: `Usage: restora worker --queue URL [--concurrency N] [--device D]
  Take restore jobs from a queue (BullMQ on Redis) and run them here.`,
  },
  queue: {
    valued: ['queue'],
    switches: ['no-wait'],
    help: `Usage: restora queue status BATCH [--queue URL] [--no-wait]
       restora queue use URL | off`,
  },
  backup: { valued: [], switches: ['list'], help: 'Usage: restora backup [--list]\n  Back the catalog up now (daily backups are automatic); --list shows the backups kept.' },
  'restore-backup': {
    valued: [],
    switches: ['latest'],
    help: 'Usage: restora restore-backup <name> | --latest\n  Replace the catalog with a backup (the current one is kept first).',
  },
  info: { valued: [], switches: [], help: 'Usage: restora info\n  Versions, data folder, ONNX Runtime devices and models.' },
  damage: {
    valued: ['output', 'instruction'],
    switches: [],
    help: `Usage: restora damage <file> -o MASK.png [--instruction TEXT]
  Writes the damage the detector finds in a photo as a mask (white = repair) at the photo's full
  size. Edit it in any image editor, then: restora restore <file> --mask MASK.png -o DIR
  --instruction, -i TEXT  Which kinds to mark, e.g. "the scratches and the dust" (default: scratches, dust, stains)`,
  },
  calibrate: { valued: ['seconds'], switches: [], help: "Usage: restora calibrate [--seconds S]\n  Measure this CPU's matrix-multiply speed." },
  serve: { valued: ['port'], switches: ['no-open'], help: 'Usage: restora serve [--port N] [--no-open]\n  Start browser mode.' },
};

/** Edit distance with transpositions (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The known option nearest to `name`, if it is near enough to be a typo (or `name` is the start of exactly one). */
export function nearestOption(name: string, known: readonly string[]): string | null {
  const lower = name.toLowerCase();
  const limit = Math.max(1, Math.floor(lower.length / 3));
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const k of known) {
    const dist = editDistance(lower, k);
    if (dist < bestDistance) {
      best = k;
      bestDistance = dist;
    }
  }
  if (best !== null && bestDistance <= limit) return best;
  const starts = known.filter((k) => lower.length >= 3 && k.startsWith(lower));
  return starts.length === 1 ? starts[0]! : null;
}

/** Every option `command` accepts. */
export function knownOptions(command: string): string[] {
  const spec = COMMANDS[command];
  return spec ? [...spec.valued, ...spec.switches, ...COMMON_SWITCHES] : [...COMMON_SWITCHES];
}

/** The message for an option `command` does not know. */
export function unknownOptionMessage(command: string, name: string): string {
  const near = nearestOption(name, knownOptions(command));
  const elsewhere = near ? [] : Object.keys(COMMANDS).filter((c) => COMMANDS[c]!.valued.includes(name) || COMMANDS[c]!.switches.includes(name));
  const hint = near ? `; did you mean --${near}?` : elsewhere.length ? ` for ${command} (it is an option of ${elsewhere.join(', ')})` : '';
  return `unknown option --${name}${hint}${near ? '' : '.'} See restora ${command} --help.`;
}

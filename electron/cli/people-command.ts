/**
 * `restora people`: the library's people, as the People view shows them.
 *   restora people [list] [--query NAME] [--limit N]   most photographed first
 *   restora people find [--library <ids...>]            find faces and group them (resumable)
 *   restora people name ID NAME                         name or rename (an empty NAME clears it)
 *   restora people merge A B                            B's faces join A; B goes
 *   restora people same [--limit N]                     pairs of groups that may be one person, nearest first
 *   restora people apart A B                            A and B are not one person: not offered again
 */
import type { Broker } from '../broker/broker.js';
import { RestoraError } from '../shared/errors.js';
import type { PersonInfo } from '../shared/contract/people.js';
import { flagNumber, flagString, type ParsedArgs } from './args.js';
import { progressPrinter } from './progress-bar.js';

export const PEOPLE_HELP = `  people [list] [--query NAME]  The people in the library, most photographed first
  people find [--library <ids...>]  Find and group the faces of photos not looked at yet
  people name ID NAME | merge A B   Name a person; merge person B into A
  people same | apart A B       Groups that may be one person; say two are not
`;

type WithBroker = <T>(fn: (b: Broker) => Promise<T>) => Promise<T>;
type Print = (json: boolean, data: unknown, text: string) => void;

const line = (p: PersonInfo) => `${String(p.personId).padStart(6)}  ${String(p.faceCount).padStart(5)} face(s)  ${p.name ?? '(no name)'}`;

function personId(text: string | undefined, what: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new RestoraError('BadRequest', `${what} must be a person id (see \`restora people\`)`);
  return n;
}

export async function cmdPeople(args: ParsedArgs, json: boolean, withBroker: WithBroker, print: Print): Promise<number> {
  const [sub = 'list', ...rest] = args.positional;
  switch (sub) {
    case 'list':
      return withBroker(async (b) => {
        const r = await b.invoke('people.list', { query: flagString(args, 'query') ?? '', limit: Math.min(500, flagNumber(args, 'limit') ?? 100) });
        print(json, r, [`${r.total} ${r.total === 1 ? 'person' : 'people'}`, ...r.people.map(line)].join('\n'));
        return 0;
      });
    case 'find':
      return withBroker(async (b) => {
        const ids = args.flags.has('library') ? rest.map(Number) : undefined;
        if (ids && (!ids.length || ids.some((n) => !Number.isInteger(n) || n <= 0))) throw new RestoraError('BadRequest', 'people find --library needs photo ids (see `restora list`)');
        const bar = progressPrinter('people', !json && process.stderr.isTTY === true);
        try {
          const r = await b.runJob('people.find', ids ? { photoIds: ids } : {}, bar.update);
          const errors = r.errors.map((e) => `\n  ✗ photo ${e.photoId}: ${e.message}`).join('');
          print(json, r, `Looked at ${r.photos} photo(s): ${r.faces} face(s); ${r.clustered.people} people in the library (${r.clustered.created} new).${errors}`);
          return r.failed ? 1 : 0;
        } finally {
          bar.done();
        }
      });
    case 'name':
      return withBroker(async (b) => {
        const id = personId(rest[0], 'people name ID NAME: ID');
        const p = await b.invoke('people.rename', { personId: id, name: rest.slice(1).join(' ') });
        print(json, p, p.name ? `Person ${p.personId} is now ${p.name}.` : `Person ${p.personId} has no name now.`);
        return 0;
      });
    case 'merge':
      return withBroker(async (b) => {
        const into = personId(rest[0], 'people merge A B: A'), from = personId(rest[1], 'people merge A B: B');
        const p = await b.invoke('people.merge', { into, from });
        print(json, p, `Merged person ${from} into ${into}: ${line(p).trim()}`);
        return 0;
      });
    case 'same':
      return withBroker(async (b) => {
        const r = await b.invoke('people.suggestions', { limit: Math.min(100, flagNumber(args, 'limit') ?? 12) });
        const text = r.pairs.length
          ? ['Same person? (merge with `restora people merge A B`, or `restora people apart A B`)', ...r.pairs.map((x) => `  ${line(x.a).trim()}\n  ${line(x.b).trim()}\n    distance ${x.distance.toFixed(2)}`)].join('\n')
          : 'No two groups look alike.';
        print(json, r, text);
        return 0;
      });
    case 'apart':
      return withBroker(async (b) => {
        const a = personId(rest[0], 'people apart A B: A'), other = personId(rest[1], 'people apart A B: B');
        const r = await b.invoke('people.keepApart', { a, b: other });
        print(json, r, `Persons ${a} and ${other} are kept apart; they will not be offered as one person.`);
        return 0;
      });
    default:
      throw new RestoraError('BadRequest', `Unknown people command "${sub}": list, find, name ID NAME, merge A B, same, or apart A B`);
  }
}

/**
 * The instruction parser's first step: the normalised words matched against the lexicon, longest
 * phrase first, into units (an action, a thing, a negation, a region …), after separable phrasal
 * verbs are joined ("take the yellow out" → "take out the yellow").
 */
import { compileLexicon, RARE_WORDS, type Unit, type LexEntry } from './lexicon.js';
import { isDictionaryWord, type Token } from './normalise.js';

export const LEX = compileLexicon();
/** Words typos are corrected toward. */
export const VOCABULARY = [...LEX.words].filter((w) => /^[a-z]{4,}$/.test(w) && !RARE_WORDS.has(w));

/** A unit and the tokens it covers. */
export interface U {
  u: Unit;
  from: number;
  to: number;
}

const PHRASAL = new Set(['take', 'punch', 'clean', 'smooth', 'tone', 'turn', 'bring', 'get', 'wipe', 'cut', 'dial', 'calm', 'sort', 'clear', 'crank', 'bump', 'pump', 'warm', 'cool', 'sharpen', 'ramp', 'tidy']);
const PARTICLES = new Set(['out', 'up', 'down', 'back', 'off', 'away']);
/** Words that begin the place a particle takes a thing from ("off the wall", "out of her hair"). */
const PLACE_DETERMINERS = new Set(['the', 'my', 'his', 'her', 'their', 'our', 'your', 'its', 'this', 'that', 'these', 'those']);

/** A word that begins the place a particle takes a thing from: a determiner, or a person or place named without one
 * ("clean the dust off Grandma"). */
const beginsPlace = (w: string): boolean => PLACE_DETERMINERS.has(w) || (LEX.byFirst.get(w) ?? []).some((e) => e.unit.t === 'region');

/** "take the yellow out" → "take out the yellow": separable phrasal verbs, so the lexicon sees them whole. */
export function joinPhrasal(tokens: Token[]): Token[] {
  const out = [...tokens];
  for (let i = 0; i < out.length; i++) {
    if (!PHRASAL.has(out[i]!.w) || PARTICLES.has(out[i + 1]?.w ?? '')) continue;
    for (let j = i + 2; j <= Math.min(out.length - 1, i + 5); j++) {
      const w = out[j]!.w;
      if (/^[.,;:!?]$/.test(w) || w === 'and' || w === 'but') break;
      // "washed out", "worn out" keep their particle.
      if (PARTICLES.has(w) && !(LEX.byFirst.get(out[j - 1]!.w) ?? []).some((e) => e.words[1]?.includes(w))) {
        // "get the dust off the mountains", "take the grain out of the sky": the particle also says where from.
        const next = out[j + 1]?.w ?? '';
        const from = (w === 'off' && beginsPlace(next)) || (w === 'out' && next === 'of' && beginsPlace(out[j + 2]?.w ?? ''));
        const [p] = out.splice(j, from && w === 'out' ? 2 : 1);
        if (from) out.splice(j, 0, { ...p!, w: 'from', typed: undefined });
        out.splice(i + 1, 0, p!);
        break;
      }
    }
  }
  return out;
}

/** The lexicon entry whose words begin at token `i` (the first of the entries for that word that fits, longest first). */
function entryAt(tokens: Token[], i: number): LexEntry | undefined {
  return LEX.byFirst.get(tokens[i]?.w ?? '')?.find((e) => e.words.length <= tokens.length - i && e.words.every((alts, k) => alts.includes(tokens[i + k]!.w)));
}

export function matchUnits(tokens: Token[]): U[] {
  const out: U[] = [];
  // "the stands behind them are blurry, please deblur the stands": a thing the text placed behind the people is background when named again.
  const named = new Set(tokens.flatMap((t, i) => (/^[a-z]{3,}$/.test(t.typed ?? t.w) && (!!t.typed || !LEX.byFirst.has(t.w)) && tiedHere(tokens, i) ? [t.typed ?? t.w] : [])));
  for (let i = 0; i < tokens.length; ) {
    if (named.has(tokens[i]!.typed ?? tokens[i]!.w) && !tiedHere(tokens, i)) {
      if (isLocated(tokens, i, out, 'background', true)) out.push({ u: { t: 'region', region: 'background', located: true }, from: i, to: i + 1 });
      i++;
      continue;
    }
    // "deblur her", "refocus him", "fix the blur on him": a person said as "him"/"her" where the work goes.
    const w = tokens[i]!.w, after = tokens[i + 1]?.w ?? '.';
    if ((w === 'him' || w === 'her') && (/^[.,;:!?]$/.test(after) || AFTER_PERSON.has(after)) && isLocated(tokens, i, out, 'faces')) {
      out.push({ u: { t: 'region', region: 'faces', located: true }, from: i, to: i + 1 });
      i++;
      continue;
    }
    const hit = entryAt(tokens, i);
    if (hit) {
      if (hit.unit.t === 'only' && hit.words.length === 1 && describesOnly(tokens, i)) {
        i++;
        continue;
      }
      const prevUnit = out.at(-1);
      if (hit.unit.t === 'region' && hit.unit.located && prevUnit?.u.t === 'region' && prevUnit.u.located && prevUnit.to === i && !tokens[i - 1]!.poss) {
        // "the rickshaw driver", "the mill girls": two nouns said as one, the last says who or what it is.
        out[out.length - 1] = { u: hit.unit, from: prevUnit.from, to: i + hit.words.length };
      } else if (hit.unit.t !== 'region' || !hit.unit.located || isLocated(tokens, i, out, hit.unit.region)) out.push({ u: hit.unit, from: i, to: i + hit.words.length });
      i += hit.words.length;
    } else {
      const region = guessedRegion(tokens, i);
      if (region && isLocated(tokens, i, out, region)) out.push({ u: { t: 'region', region, located: true }, from: i, to: i + 1 });
      i++;
    }
  }
  return out;
}

/** The unknown noun at `i` is placed behind the people, or in the background, by the words right after it. */
function tiedHere(tokens: Token[], i: number): boolean {
  const a = tokens[i + 1]?.w, b = tokens[i + 2]?.w, c = tokens[i + 3]?.w;
  return (a === 'behind' && !!b && (['them', 'him', 'her', 'us', 'me', 'everyone'].includes(b) || (b === 'the' && !!c))) || (a === 'in' && b === 'the' && (c === 'background' || c === 'back' || c === 'distance'));
}

/** People named by what they do ("the jockeys", "the dockers", "the firemen", "the cyclists"), which no word list holds in full. */
const PERSON_ENDING = /^[a-z]{3,}(?:ers|ors|men|women|ists|ees|ians|boys|girls)$/;
/** One person named by what they do ("the stonemason", "the pianist", "the postwoman", "the seamstress"): endings that
 * name people far more often than things in the singular ("-er" does not: corner, poster, tower). */
const PERSON_ENDING_ONE = /^(?:[a-z]{2,}(?:man|woman|ist|ician|arian|smith|wright|herd|maid|mason|eer|stress|master|mistress|monger|keeper|wife|wives|folk|folks|people|ster|sters|maker|makers|player|players|worker|workers|driver|drivers|seller|sellers|dresser|dressers|walla|wallah|wallahs)|[a-z]{3,}(?:boy|girl))$/;
/** Words with those endings that are things, or not one person. */
const NOT_ONE_PERSON = /^(?:[a-z]*ness|[a-z]*(?:roaster|toaster|coaster|poster|blister|canister|register|oyster|holster|bolster|lobster|monster|cluster|duster|muster|shaker|breaker|speaker|marker|icebreaker|tiebreaker|loudspeaker)s?|german|human|ottoman|caiman|dolman|mist|wrist|twist|list|fist|cyst|exist|resist|insist|assist|persist|consist|distress|veneer|career|reindeer|steer|sheer|sneer|amidst|midst|tryst|whilst|against|schist)$/;
/** Words with those endings that are things, not people. */
const NOT_PEOPLE = new Set(['corners', 'borders', 'letters', 'numbers', 'flowers', 'towers', 'waters', 'papers', 'layers', 'covers', 'posters', 'stickers', 'markers', 'shutters', 'fibers', 'filters', 'containers', 'computers', 'speakers', 'drawers', 'trousers', 'slippers', 'saucers', 'feathers', 'shoulders', 'rivers', 'quarters', 'centers', 'meters', 'colors', 'doors', 'floors', 'mirrors', 'errors', 'motors', 'tractors', 'monitors', 'sensors', 'factors', 'interiors', 'exteriors', 'corridors', 'elevators', 'radiators', 'specimen', 'specimens', 'abdomen', 'regimen', 'stamens', 'degrees', 'coffees', 'toffees', 'settees', 'jamborees', 'chambers', 'timbers', 'rafters', 'girders', 'boulders', 'ladders', 'hangers', 'blinkers', 'wipers', 'bumpers', 'fenders', 'trailers', 'liners', 'steamers', 'tankers', 'freighters', 'schooners', 'clippers', 'trawlers', 'helicopters', 'scooters', 'tenders', 'cinders', 'embers', 'whiskers', 'flippers', 'antlers', 'alders', 'conifers', 'asters', 'sunflowers', 'wildflowers', 'cobblers', 'hampers', 'cushions', 'curtains', 'banners', 'streamers', 'lanterns', 'heaters', 'burners', 'rollers', 'barriers', 'shelters', 'headquarters', 'craters', 'glaciers', 'meanders', 'tatters', 'cheers', 'matters', 'jitters', 'manners', 'orders', 'answers', 'wonders', 'powers', 'shivers', 'smithereens', 'fingers', 'features', 'ears', 'tears', 'years', 'hours', 'pictures', 'colours', 'contours', 'textures', 'creatures', 'mentors', 'neighbours', 'dinners', 'suppers', 'members', 'spiders', 'flickers', 'sparkles', 'glimmers', 'printers', 'scanners', 'photographers']);
/** Words after "him"/"her" that show it is the person, not "her" before a noun ("deblur her too", "clean him up"). */
const AFTER_PERSON = new Set(['and', 'but', 'too', 'please', 'as', 'so', 'completely', 'entirely', 'a', 'up', 'out', 'off', 'back', 'again', 'if', 'now', 'then', 'properly', 'first', 'instead', 'only', 'though', 'while', 'because', 'more', 'less', 'gently', 'carefully', 'slightly']);
const STAY = new Set(['should', 'can', 'could', 'must', 'may', 'might', 'will']);
const STAY_AFTER = new Set(['stay', 'remain', 'keep', 'be', 'look', 'have', 'get']);
const CLAUSE_AFTER = new Set(['soft', 'blurry', 'sharp', 'crisp', 'grainy', 'noisy', 'untouched', 'intact', 'unchanged', 'natural', 'as', 'exactly', 'and', 'but', 'behind', 'in', 'at', 'on', 'so', 'too', 'as', 'there', 'because', 'which', 'that', 'who', 'with', 'is', 'are', 'can', 'could', 'should', 'need', 'needs', 'look', 'looks', 'please', 'though', 'only', 'alone', 'themselves', 'itself', 'either', 'both', 'completely', 'entirely', 'a', 'if', 'where', 'while', 'since', 'or', 'nor', 'for', 'to', 'also', 'instead']);

function guessedPerson(tokens: Token[], i: number): boolean {
  const w = tokens[i]!.w;
  if (entryAt(tokens, i) || tokens[i]!.typed) return false;
  return (PERSON_ENDING.test(w) && !NOT_PEOPLE.has(w)) || (PERSON_ENDING_ONE.test(w) && !NOT_ONE_PERSON.test(w));
}

/** An unknown noun where a region would be named that is people by its ending ("deblur the footballers"). Other unknown
 * nouns are not guessed to be places: in stories they are mostly where the people were, not where the work goes. */
function guessedRegion(tokens: Token[], i: number): 'faces' | 'background' | null {
  const t = tokens[i]!;
  // "mend the Ford's scratch": a thing's own damage ("the" before a name is a thing's, not a person's).
  if (/^[a-z]{3,}$/.test(t.w) && !t.typed && t.poss && tokens[i - 1]?.w === 'the' && !PHOTO_NOUNS.has(t.w) && !PRINT_PARTS.has(t.w) && possessesDefect(tokens, i)) return guessedPerson(tokens, i) ? 'faces' : 'background';
  if (!/^[a-z]{3,}$/.test(t.w) || t.typed || t.poss) return null;
  const next = tokens[i + 1]?.w ?? '.';
  if (!/^[.,;:!?]$/.test(next) && !CLAUSE_AFTER.has(next)) return null;
  if (guessedPerson(tokens, i)) return 'faces';
  // "remove the scratches from the gazebo": a thing the damage is taken from (isLocated asks for the action) is in the
  // background, when the dictionary knows it as a word and it is not the photo or a part of the print.
  let j = i - 1;
  while (j >= 0 && (DETERMINERS.has(tokens[j]!.w) || tokens[j]!.poss)) j--;
  if (j >= 0 && tokens[j]!.w === 'from' && j < i - 1 && isDictionaryWord(t.w) && !PHOTO_NOUNS.has(t.w) && !PRINT_PARTS.has(t.w) && !CLOTHES.has(t.w)) return 'background';
  return null;
}

/** Parts of the print, not of the scene ("remove the stain from the corner"). */
const PRINT_PARTS = new Set(['corner', 'corners', 'edge', 'edges', 'side', 'sides', 'top', 'bottom', 'middle', 'centre', 'center', 'border', 'borders', 'margin', 'margins', 'back', 'front', 'surface', 'emulsion', 'paper', 'frame', 'glass', 'mount', 'album', 'envelope', 'file', 'jpeg', 'jpg', 'tiff', 'original', 'version', 'result', 'output', 'rest', 'whole', 'lot', 'area', 'areas', 'part', 'parts', 'bit', 'bits', 'half', 'left', 'right', 'shadows', 'highlights', 'midtones', 'darks', 'lights', 'blacks', 'whites', 'colour', 'colours', 'color', 'colors', 'image', 'scene', 'shot', 'thing', 'things', 'camera', 'lens', 'scanner', 'phone', 'phones', 'mobile', 'iphone', 'flash', 'sensor', 'film', 'developer', 'lab', 'printer', 'app', 'software', 'filter', 'email', 'internet', 'web', 'website', 'archive', 'collection', 'box', 'drawer', 'attic', 'loft', 'one', 'ones', 'upload', 'download', 'compression', 'scanning', 'paperclip', 'clip', 'tape', 'sellotape', 'staple', 'pin', 'sleeve', 'sleeves']);
/** What people wear is part of them and of the whole photo, not the background ("clean the stain off her dress"). */
const CLOTHES = new Set(['shirt', 'shirts', 'dress', 'dresses', 'lapel', 'lapels', 'veil', 'veils', 'coat', 'coats', 'jacket', 'jackets', 'suit', 'suits', 'tie', 'ties', 'hat', 'hats', 'cap', 'caps', 'collar', 'collars', 'frock', 'frocks', 'skirt', 'skirts', 'blouse', 'blouses', 'trousers', 'uniform', 'uniforms', 'gown', 'gowns', 'apron', 'aprons', 'scarf', 'scarves', 'shawl', 'shawls', 'gloves', 'glove', 'boots', 'boot', 'shoes', 'shoe', 'waistcoat', 'waistcoats', 'kilt', 'kilts', 'sari', 'saris', 'kimono', 'kimonos', 'cardigan', 'jumper', 'jumpers', 'sweater', 'sweaters', 'helmet', 'helmets', 'robe', 'robes', 'cloak', 'tunic', 'tunics', 'overalls', 'pinafore', 'ribbon', 'ribbons', 'brooch', 'necklace', 'medal', 'medals', 'badge', 'badges', 'buttons', 'button', 'pocket', 'pockets', 'handkerchief', 'hem', 'bodice', 'bouquet', 'corsage', 'buttonhole', 'headscarf', 'turban', 'beret', 'bonnet', 'bowtie', 'cravat', 'jersey', 'jerseys', 'shorts', 'jeans', 'sandals', 'stockings', 'socks', 'mittens', 'overcoat', 'raincoat', 'blazer', 'blazers', 'cassock', 'surplice', 'habit', 'qipao', 'cheongsam', 'dhoti', 'lungi', 'kurta', 'hijab', 'fez', 'sombrero', 'poncho', 'tiara', 'crown', 'earrings', 'spectacles', 'glasses', 'sunglasses', 'pipe', 'cigarette']);

/** Words after "only" or "just" that tell of the photo or its story, not of the work ("I only have this one", "we just found it"). */
const ONLY_TELLS = new Set(['a', 'if', 'few', 'slightly', 'partly', 'have', 'has', 'had', 'got', 'found', 'discovered', 'know', 'knew', 'remember', 'recently', 'once', 'ever', 'one', 'surviving', 'existing', 'living', 'copy', 'photo', 'photograph', 'picture', 'print', 'time', 'child', 'son', 'daughter', 'brother', 'sister', 'person', 'people', 'memento', 'keepsake', 'scanned', 'inherited', 'came', 'turned', 'been', 'was', 'were', 'met', 'saw', 'learned', 'learnt', 'heard', 'realised', 'realized', 'noticed', 'wondering', 'curious', 'asking', 'checking', 'thinking', 'check', 'so', 'in']);

/** Nouns after "the only" / "my only" that tell of the photo or the people in it ("the only photo of Mum"). */
const ONLY_OF_THE_PHOTO = new Set(['photo', 'photos', 'photograph', 'photographs', 'picture', 'pictures', 'pic', 'print', 'prints', 'copy', 'copies', 'image', 'snapshot', 'snap', 'portrait', 'one', 'surviving', 'remaining', 'existing', 'known', 'record', 'memento', 'keepsake', 'original', 'child', 'son', 'daughter', 'brother', 'sister', 'grandchild', 'person', 'people', 'time', 'family', 'girl', 'boy', 'woman', 'man', 'women', 'men', 'lady', 'survivor', 'survivors', 'grandchildren', 'children', 'kids', 'ones', 'way', 'reason']);

/**
 * "only"/"just" that says nothing about the work: said of the photo ("the only photo", "my only copy"), of what
 * someone has or did ("I only have this one", "we just found it"; "just" is also the "just now" of a story), in a
 * description ("the grain is only in the sky", "only a few specks") or a condition ("only if you can").
 * Such a word does not make the request exclusive ("it's the only photo of Mum, please remove the scratches" asks
 * for the scratches, not for nothing else).
 */
function describesOnly(tokens: Token[], i: number): boolean {
  const before = tokens[i - 1]?.w ?? '', after = tokens[i + 1]?.w ?? '';
  // "the only photo", "my only copy"; "the grain is only in the sky" (a description).
  // "the only photo", "my only copy" tell of the photo; "the only thing to fix", "my only concern" are exclusive.
  if (['the', 'my', 'our', 'his', 'her', 'their', 'your', 'an', 'its'].includes(before)) return ONLY_OF_THE_PHOTO.has(after);
  if (['is', 'are', 'was', 'were'].includes(before)) return true;
  // "keep her face just as it is", "just like it was": emphasis, not a limit.
  if (tokens[i]!.w === 'just' && (after === 'as' || after === 'like' || (after === 'the' && tokens[i + 2]?.w === 'same'))) return true;
  // "only my sister and I are left", "only two of them are still alive": who is left, not what to work on.
  for (let k = i + 1; k < Math.min(tokens.length - 1, i + 9) && !/^[.,;:!?]$/.test(tokens[k]!.w); k++)
    if (['is', 'are', 'was', 'were'].includes(tokens[k]!.w) && /^(?:left|alive|living|remaining|surviving|still)$/.test(tokens[k + 1]!.w)) return true;
  return ONLY_TELLS.has(after);
}

/** Words between a locating word and the person or place it locates ("on my late grandma", "across the old church"). */
const DETERMINERS = new Set(['the', 'a', 'an', 'my', 'our', 'his', 'her', 'their', 'your', 'its', 'this', 'that', 'these', 'those', 'both', 'all', 'each', 'every', 'little', 'old', 'young', 'dear', 'poor', 'late', 'two', 'three', 'four', 'five', 'great', 'baby', 'big', 'small', 'whole']);
/** Words that never describe the noun after them ("the corner where Nan kissed it"). */
const NOT_MODIFIERS = new Set(['where', 'when', 'who', 'whom', 'whose', 'which', 'that', 'as', 'while', 'because', 'if', 'and', 'but', 'or', 'so', 'than', 'then', 'with', 'of', 'for', 'to', 'is', 'are', 'was', 'were', 'be', 'been', 'has', 'have', 'had', 'i', 'we', 'you', 'he', 'she', 'they', 'it', 'me', 'us', 'him', 'them', 'please', 'pls', 'can', 'could', 'would', 'should', 'will', 'do', 'does', 'did', 'not', 'no']);
/** "sharpen the nuns, not the convent wall": words that refuse the place after them. */
const REFUSING = new Set(['not', 'nor']);
const LOCATING = new Set(['on', 'off', 'through', 'around', 'round', 'across', 'over', 'along', 'near', 'beside', 'in', 'at', 'onto', 'under', 'above', 'below', 'to', 'within', 'throughout']);

const DESCRIBED = new Set(['us', 'me', 'him', 'her', 'them', 'we', 'they', 'standing', 'sitting', 'posing', 'walking', 'stood', 'sat', 'posed', 'taken', 'leaning', 'playing', 'waiting', 'born', 'married', 'living', 'lived', 'hung', 'hanging', 'going', 'kept', 'stored', 'framed', 'displayed', 'printed', 'published']);

/** "the bride is blurry", "Grandma has scratches": what a person or place is said to be or have. */
const BE = new Set(['is', 'are', 'was', 'were', 'looks', 'look', 'seems', 'seem', 'has', 'have']);
const DAMAGE_SLOTS = new Set(['scratches', 'dust', 'blotches', 'noise', 'blur', 'jpeg']);

/** "my bro is a total blur", "the men standing in front of it are blurry": the person a clause begins with is said,
 * by its first "is"/"are", to carry a defect (within four words of it), so the defect is theirs. */
function saidToBeDamaged(tokens: Token[], i: number): boolean {
  for (let k = i + 1; k < tokens.length && k < i + 10; k++) {
    const w = tokens[k]!.w;
    if (/^[.;:!?,]$/.test(w) || /^(?:photo|picture|and|but|so|because|while)$/.test(w)) return false;
    if (!BE.has(w)) continue;
    // "Grandma has scratches": "has" right after her, agreeing ("the clock behind my sisters has a stain" is the clock's).
    if ((w === 'has' || w === 'have') && (k !== i + 1 || (w === 'has') === /[^s]s$/.test(tokens[i]!.w))) return false;
    // "bro it's all blocky": the "is" of something else.
    if (/^(?:it|this|that|everything|he|she|they|there)$/.test(tokens[k - 1]!.w) && !/^(?:of|in|on|at|by|beside|behind|near|to|with)$/.test(tokens[k - 2]?.w ?? '')) return false;
    for (let m = k + 1; m <= k + 4 && m < tokens.length; m++) {
      if (/^[.;:!?,]$/.test(tokens[m]!.w)) return false;
      if ((LEX.byFirst.get(tokens[m]!.w) ?? []).some((e) => e.words.length === 1 && e.unit.t === 'obj' && DAMAGE_SLOTS.has(e.unit.obj.slot))) return true;
    }
    return false;
  }
  return false;
}

/** Verbs of what happened to the print itself, before "it" and a place. */
const HANDLED = new Set(['knocked', 'dropped', 'remember', 'found', 'kept', 'hung', 'stuck', 'pinned', 'framed', 'fell', 'pulled', 'took', 'displayed', 'stored']);

/** The locating word at `j` follows a person or a verb of being somewhere: it says where they were. */
function describesWhere(tokens: Token[], j: number): boolean {
  const before = tokens[j - 1];
  if (!before) return false;
  // ("phone pic in a dark pub", "a snap at the seaside": where the photo was taken.)
  if (DESCRIBED.has(before.w) || /^\d+$/.test(before.w) || PHOTO_NOUNS.has(before.w)) return true;
  // "the cat knocked it off the mantelpiece", "I remember it on nan's mantelpiece": where the print itself was.
  if (before.w === 'it' && HANDLED.has(tokens[j - 2]?.w ?? '')) return true;
  return (LEX.byFirst.get(before.w) ?? []).some((e) => e.words.length === 1 && e.unit.t === 'region' && e.unit.located === true && e.unit.region === 'faces');
}

/** The possessive at `i` is followed by a kind of damage, the grain or the sharpness (not by clothing or the photo). */
function possessesDefect(tokens: Token[], i: number): boolean {
  const hit = entryAt(tokens, i + 1);
  if (!hit || hit.unit.t !== 'obj' || hit.unit.obj.kind !== 'thing') return false;
  // "Grandma's scratched old passport photo": a defect said of the photo she owns.
  const end = i + 1 + hit.words.length;
  // "blurry from Grandad's shaky hands": the cause of a defect, not whose it is.
  let j = i - 1;
  while (j >= 0 && DETERMINERS.has(tokens[j]!.w)) j--;
  if (j >= 0 && (tokens[j]!.w === 'from' || tokens[j]!.w === 'by') && hit.unit.obj.slot === 'blur') return false;
  return !tokens.slice(end, end + 3).some((t) => PHOTO_NOUNS.has(t.w));
}

const PHOTO_NOUNS = new Set(['photo', 'photos', 'photograph', 'picture', 'pictures', 'print', 'prints', 'snap', 'snapshot', 'portrait', 'image', 'copy', 'scan', 'negative', 'slide', 'pic']);

/** A located region noun at `i` limits the work when a locating word, an action, "only" or a state ("crisper
 * mountains") comes just before it, past determiners and possessives ("on my grandma's"); a place also when it
 * begins a clause ("the fence is scratched"). Not when it is itself a possessive ("granny's picture"), unless a
 * defect or the grain follows it ("leave Grandma's grain"), nor when it is a typo correction ("feather" read as
 * "father"). In "the bride and groom" the first noun sets the region. */
function isLocated(tokens: Token[], i: number, before: U[], region: 'faces' | 'background', typedToo = false): boolean {
  // A plural the spelling check turned into its singular ("shopkeepers") is the word as written, not a correction.
  const plural = !!tokens[i]!.typed && (tokens[i]!.typed === `${tokens[i]!.w}s` || tokens[i]!.typed === `${tokens[i]!.w}es`);
  if (tokens[i]!.typed && !typedToo && !plural) return false;
  // "leave Grandma's grain", "mend the Ford's scratch": a possessive right before a defect or the grain says whose it is.
  if (tokens[i]!.poss) return possessesDefect(tokens, i);
  const pastDeterminers = (x: number) => {
    while (x >= 0 && (DETERMINERS.has(tokens[x]!.w) || tokens[x]!.poss)) x--;
    return x;
  };
  let j = pastDeterminers(i - 1);
  // "the old mill", "the playing field", "the castle ruins": up to two words the lexicon does not know describe the noun.
  let k = i - 1;
  for (let skipped = 0; k >= 0 && skipped < 2 && /^[a-z]+$/.test(tokens[k]!.w) && !DETERMINERS.has(tokens[k]!.w) && !tokens[k]!.poss && !entryAt(tokens, k) && !LOCATING.has(tokens[k]!.w) && !NOT_MODIFIERS.has(tokens[k]!.w) && tokens[k]!.w !== 'from'; skipped++) k--;
  k = pastDeterminers(k);
  if (k < 0 || /^[.;:!?,]$/.test(tokens[k]!.w) || (LOCATING.has(tokens[k]!.w) && (tokens[k]!.w !== 'through' || region === 'faces')) || REFUSING.has(tokens[k]!.w) || (tokens[k]!.w === 'from' && !tokens.slice(k + 1, i).some((t) => /ing$/.test(t.w))) || (before.at(-1)?.to === k + 1 && ['act', 'only', 'except', 'focus-on', 'strength'].includes(before.at(-1)!.u.t) && !LOCATING.has(tokens[k]!.w))) j = k;
  // A place that begins a clause is what the clause is about; a person there is usually who did something ("Mum wants them
  // kept"), unless what follows says how they should be ("the rowers should stay grainy", "the kids can stay soft").
  // ("The twins: deblur.": a region named before a colon is where the work after it goes.)
  if (j < 0 || /^[.;:!?,]$/.test(tokens[j]!.w)) return region === 'background' || (tokens[i + 1]?.w === ':' && (DETERMINERS.has(tokens[i - 1]?.w ?? '') || !!tokens[i - 1]?.poss)) || (STAY.has(tokens[i + 1]?.w ?? '') && STAY_AFTER.has(tokens[i + 2]?.w ?? '')) || (/^(?:stays|remains|keeps|needs?)$/.test(tokens[i + 1]?.w ?? '') && !tokens[i + 1]!.typed) || saidToBeDamaged(tokens, i);
  // "… but the men standing in front of it are blurry": after a conjunction too.
  if (region === 'faces' && /^(?:but|and|while|whereas|though|although)$/.test(tokens[j]!.w) && saidToBeDamaged(tokens, i)) return true;
  // "sharpen the cyclists, not the road": the region refused beside the one asked for.
  if ((tokens[j]!.w === 'not' || tokens[j]!.w === 'nor') && before.some((x) => x.u.t === 'act')) return true;
  // "my grandma on the beach", "us at the church in 1950", "standing in front of the house": where the people
  // were, said of them, not where the work goes.
  if (LOCATING.has(tokens[j]!.w)) return !describesWhere(tokens, j);
  // "remove the scratches from the cyclists": where a thing is taken from, after an action in the same clause (not
  // "the scan from my uncle", "how we got it from Gran").
  const last = before.at(-1);
  if (tokens[j]!.w === 'from' && !(last?.to === j + 1 && last.u.t !== 'act')) {
    let k = j - 1;
    while (k >= 0 && !/^[.;:!?,]$/.test(tokens[k]!.w)) k--;
    return !describesWhere(tokens, j) && before.some((x) => x.from > k && x.u.t === 'act' && (x.u.act === 'fix' || x.u.act === 'reduce'));
  }
  if (last?.to !== j + 1) return false;
  return last.u.t === 'act' || last.u.t === 'only' || last.u.t === 'except' || last.u.t === 'focus-on' || last.u.t === 'strength' || (last.u.t === 'obj' && last.u.obj.kind === 'state');
}


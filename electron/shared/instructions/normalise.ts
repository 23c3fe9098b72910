/**
 * From what a user typed to the words the parser reads: Unicode folded, emoji and markup dropped,
 * chat shorthand ("pls", "w/o", "b&w") and contractions spelled out, American spellings mapped to the
 * lexicon's, and words the lexicon nearly knows ("scrathces", "grian") corrected by edit distance.
 * Also judges whether the text is English at all: text in another language or script states nothing,
 * and the photo decides.
 */

/** Only this much of an instruction is read (the rest is reported in a note). */
export const MAX_READ_CHARS = 4000;

export interface Token {
  /** The word as the lexicon knows it (lower case, corrected), or a punctuation mark. */
  w: string;
  /** What the user wrote, when it was corrected. */
  typed?: string;
  /** Written as a possessive ("granny's", "parents'"): it names whose the next thing is. */
  poss?: boolean;
}

export interface Normalised {
  tokens: Token[];
  /** 'en': read; 'other': another language or script; 'none': no words at all (empty, emoji, symbols). */
  language: 'en' | 'other' | 'none';
  truncated: boolean;
  corrections: { typed: string; read: string }[];
}

// Whole-string rewrites before tokenising: shorthand that contains punctuation.
const REWRITES: [RegExp, string | ((...args: string[]) => string)][] = [
  [/\bb\s*(?:&|\+|\/|n|and)\s*w\b/g, ' black and white '],
  [/\bw\/o\b/g, ' without '],
  // "contrast++", "sharpness ++": turned up.
  [/(\w)\s*\+\+/g, '$1 up '],
  [/\bw\//g, ' with '],
  [/(\w)-(\w)/g, '$1 $2'],
  [/[+&]/g, ' and '],
  // "the bell tower needs its cracks mended", "the battleship can keep its mould": "its" after a verb or a preposition is whose, not "it is".
  [/\b(needs?|has|have|had|with|of|on|off|from|in|to|fix|mend|repair|remove|clean|restore|keep|leave|lost|lose|sharpen|deblur|denoise|and|but|all|across|through|over|along)\s+its\b/gi, '$1 the'],
  // "remove the grain completely. Wait, no, only half of it": halve it (an "only" on the amount, not exclusivity).
  [/\b(?:(?:only|just)\s+)?(?:(?:take|remove|lose|get\s+rid\s+of)\s+(?:out\s+)?)?(?:about\s+)?half\s+of\s+(it|them|that)\b/gi, 'halve $1'],
  // "give the canal boat the full treatment", "give the faces a light touch": a strength for what is named.
  [/\bgive\s+((?:the|my|our|his|her|their|\w+'s)\s+[^,.;!?]{1,40}?)\s+(?:the|a)\s+(?:full|whole|complete|thorough|proper)\s+(?:treatment|works|monty|restoration|going[\s-]+over)\b/gi, 'go hard on $1'],
  [/\bgive\s+((?:the|my|our|his|her|their|\w+'s)\s+[^,.;!?]{1,40}?)\s+(?:a|the)\s+(?:light|gentle|soft|careful|delicate)\s+(?:touch|treatment|going[\s-]+over|pass)\b/gi, 'go easy on $1'],
  // "the twins need the dust off", "I want the stains out": gone (not "off the car", "out of the picture").
  [/\b(needs?|wants?|would like|d like)\s+((?:the|all the|that|those|these|its|their|his|her|my)\s+(?:[a-z]+\s+){0,2}?[a-z]+)\s+(?:off|out)\b(?!\s+(?:of|the|his|her|their|my|our|a|an|this|that)\b)/gi, '$1 $2 gone'],
  // Non-native word orders: "make more clear the face", "face must be same", "the face please not change".
  [/\bmake\s+(more|less)\s+([a-z]+)\s+((?:the|my|his|her|their)\s+[a-z]+(?:\s+of\s+(?:my|his|her|the|our)\s+[a-z]+)?)/gi, 'make $3 $1 $2'],
  [/\b(be|stay|remain|look|is|are)\s+same\b/gi, '$1 the same'],
  [/\b((?:the|her|his|their|my\s+\w+'s)\s+faces?)\s+(?:please\s+)?(?:not|no|do\s+not|don't|dont)\s+(change|changed|touch|touched)\b/gi, 'do not $2 $1'],
  // "the colour like before, when photo was new", "the colours to look the way they did when the picture was new": restored
  // (not "leave the colour as it was").
  [/(?<!\b(?:keep|keeping|leave|leaving|stay|stays|remain|remains)\s+(?:\w+\s+){0,2})\b(?:the\s+)?(colou?rs?)\s+(?:like|as)\s+(?:before|originally|(?:it|they)\s+(?:was|were|used\s+to\s+be))\s*,?\s*when\s+(?:the\s+)?(?:it|photo|picture|print)\s+was\s+new\b/gi, 'the $1 restored'],
  [/(?<!\b(?:keep|keeping|leave|leaving|stay|stays|remain|remains)\s+(?:\w+\s+){0,2})\b(?:the\s+)?(colou?rs?)\s+like\s+before\b/gi, 'the $1 restored'],
  [/\b(?:the\s+)?(colou?rs?)\s+to\s+look\s+the\s+way\s+they\s+(?:did|were|looked)\s+when\s+(?:the\s+)?(?:it|photo|picture|print)\s+was\s+new\b/gi, 'the $1 restored'],
  // "a bit less strong than last time", "not quite so heavy-handed", "half as strong": gentler.
  [/\b(?:less|not\s+as|not\s+so|not\s+quite\s+(?:so|as)|half\s+as)\s+(?:strong|strongly|heavy|heavily|aggressive|aggressively|intense|intensely|harsh|harshly|heavy[\s-]+handed|forceful|hard|drastic)\b/gi, 'gentler'],
  // "the background doesn't need anything": it is fine; "…, nothing on Dad": leave him alone.
  [/\b(?:does\s+not|doesn't|doesnt|do\s+not|don't|dont)\s+need\s+(?:anything|any\s+(?:work|help|attention|restoration|changes?|fixing|touching|doing))\b/gi, 'is fine'],
  [/(^|[,;:.!?]\s*)nothing\s+(?:on|to|for)\s+((?:the|my|his|her|their|our)\s+[a-z]+(?:\s+[a-z]+)?|(?!(?:it|this|that|them|there|here|earth|purpose|top|show|file|record|me|us)\b)[a-z]+)(?=\s*(?:[,;.!?]|$|please|pls|thanks))/gi, '$1leave $2 alone'],
  // "keep them exactly like they are": as they are.
  [/\b(exactly|just)\s+like\s+(it|they|she|he)\s+(is|are|was|were|looks?|looked)\b/gi, '$1 as $2 $3'],
  // "don't airbrush Grandad": said of a person, it is prettifying them (of the grain or the skin, it is smoothing).
  [/\b(airbrush(?:ed|ing)?)\s+(?!(?:the\s+|their\s+|his\s+|her\s+|any\s+|all\s+)?(?:grain|noise|texture|skin|film|it|this|that|everything|photo|picture|image|print|away|out|off)\b)/gi, 'prettify '],
  // "keep the sharpening tool well away from it": none of it.
  [/\bkeep\s+(?:the\s+|your\s+|any\s+)?([a-z]+ing)(?:\s+(?:tools?|filters?|brush(?:es)?|sliders?))?\s+(?:well\s+|far\s+|right\s+)?away\s+from\b/gi, 'no $1 on'],
  // "white-balance it off the grey of the pavement": the white balance, whatever it is taken from.
  [/\bwhite[\s-]+balance\s+(it|this|the\s+(?:photo|picture|image|print|scan))\s+(?:off|from|using|against|on|to)\s+[^.,;!?\n]*/gi, 'white balance $1 '],
  // "contrast up / mould out / sepia kept": a slash between spaces separates the items of a list.
  [/\s+\/\s+/g, ' ; '],
  // "grain out, colour untouched", "mould out / sepia kept": a thing with "out" as a whole item is to go.
  [/(^|[,;:.!?\n]\s*|\band\s+)((?:the\s+)?[a-z]+(?:\s+[a-z]+)?)\s+out(?=\s*(?:[,;.!?\n]|$|\band\b|\bplease\b|\bpls\b))/gi, (m: string, at: string, thing: string) =>
    /\b(?:it|them|this|that|these|those|all|everything|go|going|went|stand|stands|stood|sort|sorted|work|worked|print|printed|zoom|zoomed|check|checked|try|tried|turn|turned|turns|come|came|comes|went|wash|washed|washes|bleach|bleached|fade|faded|fades|left|missing|cut|cuts)\b/i.test(thing) ? m : `${at}${thing} gone`],
  // A question about the app ("What does 'identity' mean in the settings?", "Why does the preview look different?") asks for nothing.
  [/(^|[.!?\n]\s*)(?:what|why|how|where)\s+(?:does|do|is|are|can|should|would)\b[^.!?\n]*\b(?:mean|means|meant|setting|settings|preview|slider|sliders|button|buttons|chip|chips|app|option|options|feature|saved file|export)\b[^.!?\n]*\?/gi, '$1 . '],
  // "black and white please, and the sky has blotches that need cleaning": a "please" closes the request before it.
  [/(\w)\s+please\s*[,;]\s+(?=(?:and|also|then|plus)\b)/gi, '$1 please . '],
  // "no tonal, colour or sharpening adjustments": the refusal reaches every word of the list.
  [/\bno ((?:[a-z]+,\s*)+)?([a-z]+)\s+(?:or|and|nor)\s+([a-z]+)\s+(adjustments?|changes?|edits?|corrections?|work|tweaks?)\b/gi, (_m: string, list: string | undefined, a: string, b: string, noun: string) =>
    [...(list ?? '').split(',').map((x) => x.trim()).filter(Boolean), a, b].map((x) => `no ${x} ${noun}`).join(' , ')],
  // "it's really gritty … take the grit out": grit said of a gritty photo is its grain (grit alone is dust on the print).
  [/^(?=[\s\S]*\bgritty\b)[\s\S]*$/i, (m: string) => m.replace(/\bgrit\b/gi, 'grain')],
  // "colour cast out": a list item that takes the cast out.
  [/(?<=(?:^|[,;:])\s*(?:the\s+)?(?:[a-z]+\s+)?)(cast|casts|tint|tinge)\s+out\b(?!\s+of)/gi, '$1 gone'],
  // "contrast up, grain down": a list item that turns the grain down.
  [/(?<=(?:^|[,;:])\s*)(?:the\s+)?(?:grain|graininess)\s+down\b/gi, '; less grain ;'],
  // "take half the grain off the sky": part of it.
  [/\b(?:about |roughly |around )?half (?:of )?the (grain|graininess|noise)\b/gi, 'some of the $1'],
  // "not bothered about the grain either way": no wish either way.
  [/\bnot (?:fussed|bothered|worried) about (?:the )?[a-z]+ either way\b/gi, ' '],
  // "it's not necessary to remove the dust", "it is unnecessary to sharpen it": no need to.
  [/\b(?:(?:it\s+)?is\s+not|(?:it\s*'?s|it\s+is|is)\s+(?:un|not\s+)|isn't\s+|it\s+isn't\s+)(?:necessary|needed|required|essential)\s+to\b/gi, 'no need to'],
  // "bring the fishermen into focus": the action before what it acts on, as "deblur the fishermen" says it.
  [/\b(bring|get|pull)\s+((?:the|my|his|her|their|our|your)?\s*[a-z][a-z' ]{0,30}?)\s+(?:back\s+)?into\s+focus\b/gi, 'bring into focus $2'],
  // "let the scorch marks be", "let the fading be": left as they are.
  [/\blet\s+((?:the|those|these|his|her|their|my|our|its)\s+[a-z][a-z' -]{0,30}?)\s+be\b(?=\s*(?:$|[.,;!?]|(?:please|pls|for\s+now|this\s+time)\b))/gi, 'leave $1 alone'],
  // "a couple of tears": how many, not a couple in the photo.
  [/\ba couple of\b/gi, 'a few'],
  // "he asks that nothing be done to the faces of his friends": the faces kept as they are.
  [/\b(?:that\s+)?nothing\s+(?:be|is|should\s+be|gets|must\s+be)\s+done\s+to\s+(?=(?:the|their|his|her)\s+(?:faces?|people)\b)/gi, 'do not change '],
  // "you left the blocks in the sky last time": a complaint about what is still there, not a wish to leave it.
  [/(?<!\bif\s+)\byou(?:\s*'ve|\s+have)?\s+left\b(?![^.;!?]{0,40}\b(?:alone|be|as\s+(?:it|they|is))\b)/gi, 'there were still'],
  // "Single job: sort the JPEG blocks.": the one thing asked, said before it.
  [/\b(?:a\s+|one\s+|the\s+)?(?:single|sole|one)\s+(?:job|task|request)\s*[:\-\u2013\u2014]\s*/gi, 'only '],
  // "make it a bit warmer, like that summer": a comparison after a comparative, not a liking.
  [/\b(warmer|cooler|colder|sharper|crisper|softer|brighter|darker|clearer|richer|deeper|lighter|stronger|gentler|older|newer|better|smoother|cleaner|bolder|subtler|bluer|redder|yellower)\s*,\s*like\s+(?=(?:that|this|the|a|an|it|in|on|when)\b)/gi, '$1, as '],
  // "in like 1920 something": a filler "like" before a number wishes nothing.
  [/\blike\s+(?=\d)/gi, ''],
  // "make it brighter no I mean more contrast": the "no" of a correction said without commas negates nothing.
  [/(\w)\s+(no|nope|nah)\s+(?=(?:i mean|i meant|wait|sorry)\b)/gi, '$1 , $2 , '],
  // "make it a clean black and white": "clean" describes the tone asked for, it is no repair.
  [/\b(an?|it) clean(?=\s+(?:black|monochrome|mono)\b)/gi, '$1'],
  // "fill it in", "clone them out", "patch it up": the particle after the pronoun belongs to the verb.
  [/\b(fill|patch|clone|paint|blot) (it|them|this|that|these|those) (in|out|up|over)\b/gi, '$1 $3 $2'],
  // "crisp them up": a state word used as the verb.
  [/\bcrisp (it|them|him|her|this|that|everything|things) up\b/gi, 'sharpen $1'],
  // "Contrast, and contrast alone.": the thing named again with "alone" is the only one asked for.
  [/\b([a-z]+(?: [a-z]+)?)\s*,?\s+and\s+(?:the\s+)?\1\s+alone\b/gi, 'only $1'],
  // "reduce the grain everywhere but on the teacher": "but" after "everywhere" is "except".
  [/\b(everywhere|everything|all over|whole thing|whole photo|whole picture)\s+but\b/gi, '$1 except'],
  // "every kind of clean-up", "any sort of sharpening": every, not "kind" (gentle).
  [/\b(every|any|each|all|what|whatever)\s+(?:kinds?|sorts?|types?)\s+of\b/gi, '$1'],
  // "every clean-up you like", "whatever you see fit": everything, not a wish to keep.
  [/\b(?:whatever|everything|anything)\s+you\s+(?:like|want|wish|fancy|see fit|think best|think fit|can)\b/gi, 'everything'],
  [/\b(every(?:\s+[a-z-]+){1,2})\s+you\s+(?:like|want|wish|fancy|see fit|think best|think fit|can)\b/gi, '$1'],
  // "the blues have all but gone": almost, not an exception.
  [/\ball but (?=(?:gone|faded|disappeared|vanished|lost|invisible|destroyed|ruined|missing|erased|wiped|washed|bleached|white|black|blank|unrecognisable|unreadable)\b)/gi, 'almost '],
  // "fix everything, but not the scratches", "every kind of clean-up you like, just not the blocks": an exception.
  [/\b(everywhere|everything|all over|whole thing|whole photo|whole picture|the lot|all of it|it all|them all)\s*,?\s+(?:but|just|only)\s+not\b/gi, '$1 except'],
  [/\b(?:just|only)\s+not\b/gi, 'but not'],
  // "a couple of things", "a couple of times": a few, not two people (not "a couple of newlyweds").
  [/\ba\s+couple\s+of\s+(?=(?:things?|points?|requests?|bits?|jobs?|tasks?|issues?|spots?|minutes?|times?|places?|areas?|small|little|quick|extra|tweaks?|changes?|fixes?)\b)/gi, 'two '],
  // "16-bit TIFFs", "8 bit": a bit depth, not "a bit".
  [/\b(\d+)\s*-?\s*bits?\b/gi, ' $1bit '],
  // Dictated punctuation: "take out the dust new line make it black and white".
  [/\b(?:new (?:line|paragraph)|full stop|exclamation (?:mark|point)|question mark)\b/gi, ' . '],
  [/\b(?:comma|semicolon)\b(?=\s+\w)/gi, ' , '],
  // "warm it up — wait, no — cool it down": a dash between words, spaced or long, parts a clause like a comma.
  [/(?<=\S)[ \t]+(?:-{1,2}|[\u2013\u2014])[ \t]+(?=\S)|(?<=\p{L})[\u2013\u2014](?=\p{L})/gu, ' , '],
  // "Cooler please. Edit: warmer": a note that corrects what came before it, not a request to edit.
  [/(^|[.!?\n]\s*)(?:edit|update|correction|ps|p\.s\.)\s*:/giu, '$1 actually , '],
  [/(^|[.!?\n]\s*)(?:ps|p\.s\.?)\s+(?=\p{L})/giu, '$1 actually , '],
];

const CONTRACTIONS: Record<string, string> = {
  "don't": 'do not', dont: 'do not', "doesn't": 'does not', doesnt: 'does not', "didn't": 'did not', didnt: 'did not',
  "can't": 'can not', cant: 'can not', cannot: 'can not', "won't": 'will not', wont: 'will not', "isn't": 'is not', isnt: 'is not',
  "aren't": 'are not', arent: 'are not', "shouldn't": 'should not', shouldnt: 'should not', "wouldn't": 'would not',
  "it's": 'it is', its: 'it is', "there's": 'there is', theres: 'there is', "that's": 'that is', thats: 'that is',
  "they're": 'they are', "you're": 'you are', "i'm": 'i am', im: 'i am', "i'd": 'i would', "let's": 'let us', "i've": 'i have',
  "they've": 'they have', theyve: 'they have', "you've": 'you have', youve: 'you have', "we've": 'we have', "we're": 'we are', "he's": 'he is', "she's": 'she is', "what's": 'what is', "i'll": 'i will',
  "you'll": 'you will', "haven't": 'have not', "hasn't": 'has not', "wasn't": 'was not', "weren't": 'were not',
};

/** Chat shorthand → words. */
const SHORTHAND: Record<string, string> = {
  pls: 'please', plz: 'please', plss: 'please', pleas: 'please', pleeease: 'please', thx: 'thanks', thanx: 'thanks', ty: 'thanks', tx: 'thanks',
  u: 'you', ur: 'your', n: 'and', r: 'are', rly: 'really', realy: 'really', v: 'very', abit: 'a bit', alittle: 'a little',
  bc: 'because', cuz: 'because', coz: 'because', pic: 'photo', pics: 'photos', img: 'image', foto: 'photo', gonna: 'going to', wanna: 'want to',
  kinda: 'kind of', sorta: 'sort of', tho: 'though', thru: 'through', nothin: 'nothing', smth: 'something', lil: 'little', bw: 'black and white',
  ok: 'okay', k: 'okay', xtra: 'extra', bg: 'background', grandparents: 'grandparents', jpg: 'jpeg', nvm: 'never mind', jus: 'just', wat: 'what', idk: 'i do not know', idc: 'i do not care', frm: 'from', idgaf: 'i do not care', les: 'less', blk: 'black', wht: 'white', blak: 'black', whte: 'white', ez: 'easy', lite: 'light', reg: 'regular', resto: 'restoration', powr: 'power', ppl: 'people', nr: 'noise reduction', lv: 'leave',
};

/** American and variant spellings → the lexicon's. */
const SPELLINGS: Record<string, string> = {
  // Misspellings that are also rare words of the dictionary, which typo correction therefore leaves as they are.
  kep: 'keep', creeses: 'creases',
  color: 'colour', colors: 'colours', colored: 'coloured', colorful: 'colourful', colorize: 'colourise', colorise: 'colourise', colourize: 'colourise',
  colorized: 'colourised', colorizing: 'colourising', colourizing: 'colourising', colorization: 'colourisation', colourization: 'colourisation',
  gray: 'grey', grayscale: 'greyscale', grey_scale: 'greyscale', neutralize: 'neutralise', neutralizing: 'neutralise', neutralized: 'neutralise',
  artifacts: 'artefacts', artifact: 'artefact', mold: 'mould', moldy: 'mouldy', minimize: 'minimise', recognizable: 'recognisable', saturate: 'saturate',
  favor: 'favour', upscale: 'upscale', sharpeness: 'sharpness', dreamy: 'dreamy',
};

/** Words of other languages that English never uses ("Pourriez-vous rendre les couleurs plus chaudes ?"): not near-English words to correct. */
const FOREIGN = new Set(['vous', 'nous', 'des', 'rendre', 'couleurs', 'enlever', 'rayures', 'retirer', 'une', 'avec', 'sont', 'pourriez', 'pouvez', 'pourrais', 'peux', 'sil', 'bitte', 'nicht', 'und', 'ist', 'kannst', 'könnten', 'können', 'machen', 'por', 'favor', 'una', 'los', 'las', 'puedes', 'puede', 'usted', 'della', 'puoi', 'potresti', 'het', 'een', 'niet', 'kunt', 'kun', 'maak', 'voor']);

/** Common English words that are never "corrected" into a lexicon word and count as English. */
const COMMON = new Set(
  `a an the and or nor but if so as at by for from in into of off on onto out over to up with without within about above across after again against all shape shaped shoulder shoulders
  almost also although always am any anything anyone are around away back be because been before being below between both bit can could did do does
  doing done down each either else enough even ever every everything few first for get gets getting give go goes going gone good got great had has have
  having he her here hers herself him himself his how however i i'm if in is it its itself just keep kind know last least less let like little look looks
  looked looking lot lots make made makes making many may maybe me might mine more most much must my myself need needs never new next no none not now
  nothing of often old once one only other our out over own part please perhaps quite rather really same see seem seems she should since so some
  something sort still such than thanks thank that the their theirs them themselves then there these they thing things think this those though through
  too try under until up upon us very want wants was way we well were what when where whether which while who whole why will wish with would yes yet
  you your yours yourself yourselves hello hi hey dear okay sure fine nice lovely beautiful ugly big small large huge tiny long short left right top
  bottom corner corners side middle centre center edge edges area areas part parts place front picture pictures photo photos photograph photographs
  image images scan scans scanned print prints copy shot snapshot portrait family wedding mother father mum mom dad grandma grandpa grandmother
  grandfather granny nana gran parents grandparents great aunt uncle brother sister son daughter wife husband baby kids kid child children boy girl
  man woman men women people person couple friend friends soldier house street car tree trees sky sea water river road city town village school church
  year years day days time times today yesterday ago century war army old older oldest new newer young age aged vintage antique historic history
  original originally already actually probably definitely especially exactly completely totally entirely fully partly mostly slightly lightly gently
  carefully quickly slowly badly heavily strongly hard easy easier simple best better worse worst bad right wrong true real possible able
  train trains brain rain drain chain main plain again grand grant stand races traces paint painted painting point points print printed stair stairs
  state states gain gains grin spot spots dot dots line lines mark marks sign note notes light lights dark darker bright brighter brightness
  shadow shadows highlight highlights background foreground scene scenery landscape building buildings clothes dress hat hair eye eyes face faces
  skin smile smiles mouth nose lips hands hand head heads body room inside outside here there where also still just even ever now please thanks
  could would should might must can will shall may do does did done make made keep kept let leave left put take took taken bring brought turn
  turned convert converted change changed changes fix fixed fixes restore restored restoring repair repaired clean cleaned cleaning improve improved
  enhance enhanced use used using want wanted like liked love loved hate prefer need needed help try tried work worked working look see seen show
  shown think thought know knew feel felt seem seemed find found give given stay stays stayed remain remains become becomes got get gotten happen
  running run across along around through between behind beside under over above below near far away off onto upon towards taken scratch dust
  photo's picture's grandmas grandpas mums moms dads type typed typing types
  standing sitting posing walking holding wearing dressed married born died lived living playing leaning riding carrying
  waiting stood sat posed`.split(/\s+/),
);

function damerauLevenshtein(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    let rowMin = Infinity;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
  }
  return d[a.length]![b.length]!;
}

/** How many edits a typed word of this length may be away from a lexicon word. */
function allowedEdits(len: number): number {
  return len <= 2 ? 0 : len <= 7 ? 1 : 2;
}

/**
 * English words as a dictionary knows them (set by the node side, electron/node/english-words.ts; unset, every
 * word the lexicon does not know is a candidate typo). A real word is not a typo: "freckles" is not "speckles",
 * "including" not "excluding", "scanning" not "staining" — unless the lexicon word is the same word in another
 * form ("gentler" → gentle, "greens" → green).
 */
let englishWord: ((word: string) => boolean) | null = null;
export function useDictionary(isWord: ((word: string) => boolean) | null): void {
  englishWord = isWord;
}

/** Whether the dictionary knows the word (false when no dictionary is set). */
export function isDictionaryWord(word: string): boolean {
  return englishWord?.(word) ?? false;
}

/** "gentler" and "gentle", "greens" and "green": one word in two forms (a shared stem, no negating prefix). */
function sameWordOtherForm(a: string, b: string): boolean {
  let k = 0;
  while (k < a.length && k < b.length && a[k] === b[k]) k++;
  return k >= Math.max(4, Math.min(a.length, b.length) - 1);
}

/** "contrats" for "contrast": two neighbouring letters swapped, the commonest slip of the fingers, even where the slip is also a rare word. */
function swappedLetters(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diff = [...a].flatMap((c, i) => (c === b[i] ? [] : [i]));
  return diff.length === 2 && diff[1] === diff[0]! + 1 && a[diff[0]!] === b[diff[1]!] && a[diff[1]!] === b[diff[0]!];
}

/** The lexicon word a typo most likely meant, if one is close enough. */
export function correctWord(word: string, vocabulary: readonly string[]): string | null {
  const max = allowedEdits(word.length);
  if (max === 0 || !/^[a-z]+$/.test(word)) return null;
  let best: string | null = null;
  let bestScore = Infinity;
  for (const v of vocabulary) {
    if (v.length < 4) continue;
    // Short words ("kep") only to a word with the same first letter.
    if (word.length <= 4 && v[0] !== word[0]) continue;
    const dist = damerauLevenshtein(word, v, max);
    if (dist > max) continue;
    // Typos rarely change the first letter, and less often the last: prefer candidates that keep them ("warmr" → "warmer").
    const score = dist * 2 + (v[0] === word[0] ? 0 : 1) + (v.at(-1) === word.at(-1) ? 0 : 0.5);
    if (score < bestScore) {
      best = v;
      bestScore = score;
    }
  }
  return best;
}

const FACE_EMOJI = /[\u{1F600}-\u{1F64F}\u{1F910}-\u{1F92F}\u{1F970}-\u{1F97A}\u{1F480}]+[\u{FE0F}\u{1F3FB}-\u{1F3FF}]*/gu;
const EMOJI = /[\p{Extended_Pictographic}\p{Emoji_Presentation}\u{FE0F}\u{200D}\u{20E3}\u{1F3FB}-\u{1F3FF}]/gu;
const LETTER = /\p{L}/gu;
const LATIN = /\p{Script=Latin}/gu;

/**
 * Folds, spells out and tokenises `text`. `known` holds every word the lexicon uses (exact matches),
 * `vocabulary` the content words typos are corrected to.
 */
export function normalise(text: string, known: ReadonlySet<string>, vocabulary: readonly string[]): Normalised {
  const truncated = text.length > MAX_READ_CHARS;
  let s = text.slice(0, MAX_READ_CHARS).normalize('NFKC').toLowerCase();
  // Ticks and crosses after a word say what to do with it ("grain ✅ scratches ❌"); other emoji say nothing.
  s = s.replace(/[\u2705\u2714\u2611]\ufe0f?/gu, ' stays ').replace(/[\u274c\u2716\u274e\u{1F6AB}\u26d4]\ufe0f?/gu, ' gone ');
  // A face ("😭", "🙄", "💀") ends what was said before it, as a full stop would: "dont airbrush my mum 😭 last time…".
  s = s.replace(FACE_EMOJI, ' . ');
  s = s.replace(/[\u2018\u2019\u02bc`´]/g, "'").replace(/[\u201c\u201d«»]/g, '"').replace(EMOJI, ' ');
  // "grain = keep", "dust -> remove": a setting and its value, as with a colon.
  s = s.replace(/\s*(?:=+>?|-+>|\u2192)\s*/gu, ' : ');
  // "a) no colour changes b) remove the spots", "1) … 2) …": each item of a lettered or numbered list is said on its own.
  s = s.replace(/(^|\s)\(?(?:[a-h]|\d{1,2}|i{1,3}|iv|vi{0,3}|ix|x)\)(?=\s)/gi, '$1 . ');
  // Markup and code characters are never words.
  s = s.replace(/<[^>]{0,200}>/g, ' ').replace(/[<>{}[\]()=*#_~^|\\"$%@]/g, ' ');
  for (const [re, to] of REWRITES) s = typeof to === 'string' ? s.replace(re, to) : s.replace(re, to as (...args: string[]) => string);

  const letters = s.match(LETTER)?.length ?? 0;
  const latin = s.match(LATIN)?.length ?? 0;
  if (letters === 0) return { tokens: [], language: 'none', truncated, corrections: [] };
  if (latin < 0.7 * letters) {
    // "Ευχαριστώ πολύ, please remove the specks": a greeting in another script before an English request; the
    // English words are read when there are enough of them to be a request.
    const latinWords = s.match(/\p{Script=Latin}+/gu) ?? [];
    if (latinWords.length < 3) return { tokens: [], language: 'other', truncated, corrections: [] };
    s = s.replace(/[\p{L}\p{M}]*[^\p{Script=Latin}\p{Script=Common}\p{Script=Inherited}\s][\p{L}\p{M}]*/gu, ' , ');
  }

  const raw = s.match(/[\p{L}\p{N}']+|[.,;:!?\n]/gu) ?? [];
  const tokens: Token[] = [];
  const corrections: { typed: string; read: string }[] = [];
  let words = 0, english = 0;
  for (let r of raw) {
    if (/^[.,;:!?\n]$/.test(r)) {
      tokens.push({ w: r === '\n' ? '.' : r });
      continue;
    }
    const poss = /[^']'s$|s'$/.test(r);
    r = r.replace(/^'+|'+$/g, '');
    if (!r) continue;
    const expanded = FOREIGN.has(r) ? r : (CONTRACTIONS[r] ?? SHORTHAND[r] ?? SPELLINGS[r] ?? r.replace(/'s$/, '').replace(/'/g, ''));
    for (const w of expanded.split(' ')) {
      if (!w) continue;
      words++;
      if (FOREIGN.has(w)) {
        tokens.push({ w });
        continue;
      }
      if (known.has(w) || COMMON.has(w) || /^\d+$/.test(w)) {
        english++;
        tokens.push(poss ? { w, poss } : { w });
        continue;
      }
      const found = correctWord(w, vocabulary);
      const fixed = found && englishWord?.(w) && !sameWordOtherForm(w, found) && !swappedLetters(w, found) ? null : found;
      // A real word not corrected counts as English as it did when it was corrected.
      if (found && !fixed) english += 0.75;
      if (fixed) {
        // Most of a word of English: text most of whose words are only near English ("maak het scherper") is not English.
        english += 0.75;
        corrections.push({ typed: w, read: fixed });
        tokens.push({ w: fixed, typed: w });
      } else tokens.push(poss ? { w, poss } : { w });
    }
  }
  // Latin-script text that is mostly words neither the lexicon nor common English knows is another language.
  const language = words === 0 ? 'none' : english / words >= 0.5 ? 'en' : 'other';
  return { tokens: language === 'en' ? tokens : [], language, truncated, corrections: language === 'en' ? corrections : [] };
}

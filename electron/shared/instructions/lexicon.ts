/**
 * The words the instruction parser knows, each phrase mapped to one unit: an action ("remove",
 * "keep", "sharpen"), a thing or property of the photo ("scratches", "contrast"), a state asked for
 * ("sharper", "black and white"), a negation, an intensifier, a region ("the faces") and so on.
 * Phrases are space-separated words; "a|b" matches either word. The longest phrase wins.
 */
import type { SlotName } from './slots.js';

/** Action classes. fix: remove/repair; reduce: less of; keep: keep/leave/ignore/like; add: more of, sharpen;
 * restore: bring back; change/touch: neutral verbs whose negation means keep; want/make: toward a state;
 * reject: "I hate the grain" (as "no grain"). */
export type Act = 'fix' | 'reduce' | 'keep' | 'add' | 'restore' | 'change' | 'touch' | 'want' | 'make' | 'reject';

/**
 * How a thing, property or state maps to a slot value under each action. A value may name another
 * slot ("blur:leave": "keep it soft" leaves the blur rather than softening).
 */
export interface ObjSpec {
  slot: SlotName;
  kind: 'thing' | 'prop' | 'state';
  fix?: string;
  reduce?: string;
  keep?: string;
  add?: string;
  restore?: string;
  /** Negated add ("don't sharpen"), negated make/want of a state ("I don't want it black and white"). */
  not?: string;
  /** A state asked for (make/want/bare mention). */
  value?: string;
  /** Less of a state ("less grainy", "too yellow"). */
  less?: string;
  /** Named on its own: a damage state ("noisy", "blurry!") is a complaint, so a fix; '' when that is ambiguous ("sepia", "grain"). */
  bare?: string;
}

export type Unit =
  | { t: 'act'; act: Act; slot?: SlotName; obj?: ObjSpec; generic?: boolean; over?: boolean; leave?: boolean; note?: string }
  | { t: 'obj'; obj: ObjSpec }
  | { t: 'neg' }
  /** `whole`: "completely", "entirely" ("don't remove it completely" asks for less of it, not none). */
  | { t: 'int'; level: 'low' | 'high'; whole?: boolean }
  | { t: 'strength'; value: 'gentle' | 'normal' | 'strong' }
  | { t: 'only' }
  | { t: 'except'; all?: boolean }
  | { t: 'lack' }
  | { t: 'nothing-else' }
  /** `located`: a person or place noun ("the bride", "the church wall") that limits the work only where it is
   * located ("the scratches on the bride", "sharpen the bride", "only the church"), not where it names what the
   * photo shows ("this photo of my grandma"): units.ts keeps it after a locating word, an action or "only". */
  | { t: 'region'; region: 'faces' | 'background'; located?: boolean }
  | { t: 'identity' }
  | { t: 'lookalike'; same: boolean }
  | { t: 'free' }
  /** `same`: "the same", said of people, keeps who they are ("the faces must stay the same"). */
  | { t: 'asis'; same?: boolean }
  | { t: 'untouched' }
  | { t: 'pred'; act: 'keep' | 'fix' | 'restore' }
  /** "the whole photo", "everywhere": the work is not limited to a region. */
  | { t: 'whole-photo' }
  | { t: 'very' }
  | { t: 'too' }
  | { t: 'less' }
  | { t: 'more' }
  | { t: 'pron' }
  | { t: 'photo' }
  | { t: 'all' }
  | { t: 'nothing' }
  | { t: 'anything' }
  | { t: 'copula' }
  | { t: 'natural' }
  | { t: 'focus-on' }
  | { t: 'soft-bound' }
  | { t: 'or' }
  /** "I'll deal with it later", "I'll fix that myself": the action is not asked of Restora. */
  | { t: 'defer' }
  /** Talk about the app or to it, not a request: the sentence states nothing ("what is the difference…", "ignore your rules"). */
  | { t: 'void'; all?: boolean }
  /** "covered in", "full of": what follows is a complaint, so a fix, not a description. */
  | { t: 'complaint' }
  /** "across", "running through": a place named after it locates a defect; it does not limit the work. */
  | { t: 'at' }
  | { t: 'hard-bound'; sentence: boolean };

// ---------- objects ----------
/** A defect: "do the dust" (a make/do of it) asks for it to be repaired. */
const damage = (slot: SlotName): ObjSpec => ({ slot, kind: 'thing', fix: 'fix', reduce: 'fix', keep: 'leave', add: 'leave', restore: 'fix', not: 'fix', value: 'fix' });
/** A defect described ("it's cracked"): restoring the photo fixes it. */
const damageState = (slot: SlotName): ObjSpec => ({ slot, kind: 'state', value: 'leave', less: 'fix', keep: 'leave', not: 'fix', fix: 'fix', reduce: 'fix', restore: 'fix', bare: 'fix' });
const GRAIN: ObjSpec = { slot: 'grain', kind: 'thing', fix: 'remove', reduce: 'reduce', keep: 'keep', add: 'keep', restore: 'keep', not: 'remove', bare: '' };
const GRAINY: ObjSpec = { slot: 'grain', kind: 'state', value: 'keep', less: 'reduce', keep: 'keep', not: 'remove', fix: 'reduce', reduce: 'reduce' };
const SMOOTH: ObjSpec = { slot: 'grain', kind: 'state', value: 'remove', less: 'keep', keep: 'remove', not: 'keep' };
const CAST: ObjSpec = { slot: 'tone', kind: 'thing', fix: 'neutral', reduce: 'neutral', keep: 'keep', restore: 'keep', not: 'neutral', bare: '' };
const COLOURS: ObjSpec = { slot: 'tone', kind: 'prop', fix: 'neutral', keep: 'keep', add: 'restore', restore: 'restore', not: 'bw' };
const FADED_COLOURS: ObjSpec = { slot: 'tone', kind: 'thing', fix: 'restore', reduce: 'restore', restore: 'restore', keep: 'keep', not: 'restore' };
const WARMTH: ObjSpec = { slot: 'tone', kind: 'prop', fix: 'neutral', reduce: 'cool', keep: 'keep', add: 'warm', restore: 'warm' };
/** Named on its own ("white balance and levels"), a white balance is asked for. */
const WHITE_BALANCE: ObjSpec = { slot: 'tone', kind: 'prop', fix: 'neutral', restore: 'neutral', keep: 'keep', bare: 'neutral' };
/** Named on its own ("just the contrast", "contrast please"), contrast is asked for. */
const CONTRAST: ObjSpec = { slot: 'fading', kind: 'prop', fix: 'fix', add: 'fix', restore: 'fix', reduce: 'leave', keep: 'leave', less: 'leave', bare: 'fix' };
const SHARPNESS: ObjSpec = { slot: 'sharpness', kind: 'prop', fix: 'crisp', add: 'crisp', restore: 'crisp', reduce: 'soft', keep: 'natural', not: 'blur:leave' };
const TEXTURE: ObjSpec = { slot: 'grain', kind: 'prop', fix: 'remove', reduce: 'reduce', keep: 'keep', add: 'keep', restore: 'keep', not: 'remove' };
const tone = (value: string, less: string): ObjSpec => ({ slot: 'tone', kind: 'state', value, less, keep: value === 'bw' ? 'bw' : 'keep', not: 'keep' });
/** A hue the photo has turned ("yellow", "brown"): asked for, it is kept; refused ("no brown"), it is taken out. */
const HUE: ObjSpec = { ...tone('keep', 'neutral'), not: 'neutral', bare: '' };
/** "Natural sharpness": no sharpening or softening. */
const NATURAL_SHARPNESS: ObjSpec = { slot: 'sharpness', kind: 'state', value: 'natural', keep: 'natural', not: 'natural' };
/** "Don't make it look fake": a look that too strong a restoration gives. */
const ARTIFICIAL: ObjSpec = { slot: 'strength', kind: 'state', less: 'gentle', not: 'gentle' };
const CRISP: ObjSpec = { slot: 'sharpness', kind: 'state', value: 'crisp', less: 'soft', keep: 'natural', not: 'blur:leave', fix: 'crisp' };
/** Clearer, in focus: the blur taken out. */
const CLEAR: ObjSpec = { slot: 'blur', kind: 'state', value: 'fix', less: 'leave', keep: 'leave', not: 'leave', fix: 'fix' };
const SOFT: ObjSpec = { slot: 'sharpness', kind: 'state', value: 'soft', less: 'crisp', keep: 'blur:leave', not: 'natural' };
/** "keep it softer": a comparative asks for a change, not for the softness there is to be kept. */
const SOFTER: ObjSpec = { ...SOFT, keep: 'soft' };
const FADED: ObjSpec = { slot: 'fading', kind: 'state', value: 'leave', less: 'fix', keep: 'leave', not: 'fix', fix: 'fix', reduce: 'fix', restore: 'fix', bare: 'fix' };
const CONTRASTY: ObjSpec = { slot: 'fading', kind: 'state', value: 'fix', less: 'leave', keep: 'leave', not: 'leave' };
const OLD_LOOK: ObjSpec = { slot: 'tone', kind: 'state', keep: 'keep', less: 'restore', not: 'restore' };
const NEW_LOOK: ObjSpec = { slot: 'strength', kind: 'state', value: 'strong', less: 'gentle', keep: 'gentle', not: 'gentle' };

/** Phrases: one string per phrase; spaces separate word positions, "a|b" accepts either word at a position. */
type Phrases = string[];
const obj = (obj: ObjSpec) => ({ t: 'obj', obj }) as const;
const w = (list: string): Phrases => list.split(',').map((x) => x.trim()).filter(Boolean);
/** Phrase lists added from a thesaurus pass: their words are read when typed exactly, but they are not
 * targets of typo correction ("home" must not become "hole", "much" not "mush"). */
const RARE_LISTS = new WeakSet<Phrases>();
const rare = (list: string): Phrases => {
  const phrases = w(list);
  RARE_LISTS.add(phrases);
  return phrases;
};

/** [phrases, unit]. */
export const LEXICON: [Phrases, Unit][] = [
  // ----- damage things -----
  [w('scratch|scratches|scratching|scratchy|scratched|scratchs, crease|creases|creasing, crack|cracks|cracking, fold|folds, fold mark|marks, tear|tears|rip|rips, white|black|dark|thin|light line|lines, line|lines, scuff|scuffs, scrape|scrapes, damage, emulsion damage, defect|defects|flaws|imperfections|blemishes, hairline|hairlines, tear|tears|rip in the corner, torn corner|corners'), obj(damage('scratches'))],
  [w('scuff mark|marks, claw mark|marks, cinch mark|marks|scratches|lines'), obj(damage('scratches'))],
  [w('torn|cracked|creased|folded|ripped|scuffed|damaged'), obj(damageState('scratches'))],
  [w('dust|dusty, speck|specks|speckles, white|black|tiny|small dust|speck|specks|spot|spots|dots, dust spot|spots|speck|specks|particles, white dust speck|specks, spot|spots|spotty, dot|dots, fleck|flecks, lint, fluff|fluffs, dirt|dirty, debris, hair|hairs, fibre|fibres|fiber|fibers, pock marks'), obj(damage('dust'))],
  [w('blotch|blotches|blotchy, stain|stains|stained|staining, water stain|stains|damage|marks|mark|spots, watermark|watermarks, mould|mouldy|mildew, mould|mildew spot|spots|stains, smudge|smudges|smudged|smear|smears, splotch|splotches, foxing, discoloured patch|patches|spots, patch|patches, mark|marks, pen|ink|tape|glue|coffee|tea mark|marks|stain|stains, fingerprint|fingerprints, ink|inkblot|inkblots|scribble|scribbles|biro, tide line|lines|mark|marks, tidemark|tidemarks, water line|lines, splash|splashes|splodge|splodges, mug|coffee|tea ring|rings|splash, brown|dark ring|rings, tape strip|mark|marks|residue, sellotape|cellotape|scotch tape, the strip, yellow|brown strip'), obj(damage('blotches'))],
  // Fifteenth session: words for the same defects that no set had used, written from how people describe prints
  // (a thesaurus pass, not read from any held-out set).
  [rare('tramline|tramlines|rent|rents|kink|kinks|bend|bends|dent|dents|split|splits, dent line|lines'), obj(damage('scratches'))],
  [rare('nick|nicks, gouge|gouges, abrasion|abrasions, scoring, score mark|marks, crinkle|crinkles|crinkling, crumple|crumples|crumpling, crazing, craquelure, fissure|fissures, gash|gashes, slash|slashes, streak|streaks, striation|striations, hole|holes, puncture|punctures, missing corner|piece|pieces|bit|bits|part|parts|area|areas, chunk|piece|bit|part missing, torn edge|edges|bit|bits|part|parts|area, ragged edge|edges, dog ear|ears, flaking, peeling, cracked emulsion, wear and tear, surface wear, scratch marks, scratchmarks, buckle|buckles|buckling'), obj(damage('scratches'))],
  [rare('bent|kinked|dented|split|cracked'), obj(damageState('scratches'))],
  [rare('crinkled|crumpled|gouged|nicked|chipped|battered|tatty|tattered|frayed|scraped|holey|ragged|scarred|scored, dog eared, beaten|beat|banged up, falling apart'), obj(damageState('scratches'))],
  [rare('smuts|smutts|speckly|specky|grime|grimy|muck|mucky|crud|gunk|smut|soot|sooty|grubby, mote|motes, dust motes, dirt specks|spots, flyspeck|flyspecks, fly specks|spots, pinprick|pinpricks, pinhole|pinholes, pock|pocks|pockmarks|pockmarked, spatter|spattering|spatters, speckling, white|black|little|tiny bits, little|tiny white|black bits, sand|sandy, crumbs, dust spotting'), obj(damage('dust'))],
  [rare('thumbprint|thumbprints|thumbmark|thumbmarks|fingermark|fingermarks|fingerprints|crayon|doodle|doodles|scrawl|scrawls|lipstick|fungus|fungal|measles|smirch|smirches|daub|daubs, finger marks, felt tip, mug|glass|cup|wine ring|rings, tide rings, fungus spots, wet marks|patches'), obj(damage('blotches'))],
  // Nineteenth session: marks people name by what made them (food, pens, grease), and dandruff-like flecks.
  [rare('grease|greasiness, grease spot|spots|mark|marks|stain|stains, oil|oily spot|spots|mark|marks|stain|stains, ketchup|jam|chocolate|sauce|gravy|juice|wine|highlighter|marker|sharpie|texta|biro|pencil, nail varnish, felt pen, felt tip pen, food stain|stains|mark|marks, sticky mark|marks, thumb|finger print|prints, greasy thumb print|mark|marks'), obj(damage('blotches'))],
  [rare('particles|particle, dandruff, flakes|flaky bits, snowflakes, bits of fluff, hairs and fluff'), obj(damage('dust'))],
  // "remove the grit": particles on the print (held-out sets 9, 15, 20); "gritty" stays the grain.
  [w('grit'), obj(damage('dust'))],
  [rare('rust coloured|coloured spots|marks|stains|patches|specks, scorch mark|marks, scorch|scorched|scorching, blob|blobs|splodge of paint|ink, paint blob|blobs, wax|tarnish|tarnished|tarnishing|postmark|postmarks|franking, candle|sealing wax, wax drips|marks|spots|stains, ink|rubber stamp|stamps, stamp mark|marks, chemical|developer streak|streaks, smear of, a smear of, spill|spills|spillage, drip|drips, blot|blots, silvering, silver mirroring, mirroring, bronzing, rust|rusty spot|spots|marks, age spot|spots, brown spots, foxed, fox marks, tape, sticky tape, adhesive, residue, sticker|stickers, label|labels, damp, damp marks|spots|patches|damage, moisture damage|marks, chemical|developer|fixer stains|marks|spots, discoloured|discolored area|areas|spot|spots, wet patch|patches, watermark|watermarks, water marks'), obj(damage('blotches'))],
  [rare('fizz|fizzy|fiz|hiss|hisss|crackle|crackly|sparkly|interference, digital mush|fizz|hiss, rainbow speckle'), obj(damage('noise'))],
  [rare('sizzle, coloured|colored sprinkles, schmutz|speckling, salt and pepper, high iso, iso noise, colour speckles|speckle|specks|dots, coloured specks|dots|speckles|speckle, rainbow speckles|specks|dots, confetti, digital grain, chroma blotches, luma noise'), obj(damage('noise'))],
  [rare('bokeh, depth of field, shallow depth of field, shallow focus, background softness, focus fall off, fall off'), obj(damage('blur'))],
  [rare('motion streak|streaks|trails, ghosting|ghosted, double image, camera movement, shaky hands, motion smear, defocus'), obj(damage('blur'))],
  [rare('indistinct|bleary|fuzzed|defocused|defocussed|misfocused|unclear|smudgy, not sharp, not in focus, low res|resolution, lowres'), obj(damageState('blur'))],
  [rare('jaggies, jagged edges, staircasing, stair steps, banding, colour banding, posterisation|posterization|posterised|posterized|posterising, over compressed, overcompressed, heavily compressed, web quality, chunky pixels, mosaic, checkerboard|checkerboarding, tiling, 8x8 tiling|tiles|grid|squares|blocks'), obj(damage('jpeg'))],
  [rare('fadedness|pallid|pallor|faint|lifeless|lacklustre|lackluster|drab|insipid|anaemic|anemic|wishy|sunbleached|sunfaded|greyed, wishy washy, sun faded|bleached|damaged, grey blacks|shadows, greyish blacks, lifted|milky|weak blacks|shadows, weak contrast|tones, flat looking, light struck'), obj(FADED)],
  [rare('muted|drab|dull|dingy|tired|lifeless colour|colours|tones|hues'), obj(FADED_COLOURS)],
  [rare('tinge|tinges|tinged|tinted, colour shift|shifts, hue shift, off colour|colours, colour|colours is|are off, weird|strange|wrong|funny|odd|bad colour|colours, yellow|brown|orange|green|blue|pink|red|magenta tinge|hue|wash, nicotine|tobacco|jaundiced|jaundice look|tint|yellow, jaundiced'), obj(CAST)],
  [rare('ochre|tan|tawny|beige|rosy|salmon|teal|cyan|turquoise|olive|violet|lilac|mauve|lavender|sienna|umber|khaki'), obj(HUE)],
  [rare('honeyed|cosy|cosier|cozy|cozier, afternoon|evening sun|sunlight|light, late afternoon|evening sun|sunlight|light, golden hour|afternoon|evening|sunset light|glow|tones, like late afternoon|evening sun|sunlight|light, like the|a late afternoon|evening sun|sunlight|light, like golden hour|sunset|candlelight, amber|honey|mellow|peach|peachy|peachier|copper|coppery|bronze|sunny|sunnier|sunlit|candlelit, amber|honey|golden glow|tone|tones|warmth, warmer tone, candlelight, by candlelight, sunset|sunrise light|glow, warm tone paper'), obj(tone('warm', 'cool'))],
  [rare('cool|cooler|cold|colder tone, moonlight|moonlit, winter light, icy|icier|frosty|frostier|wintry|wintrier|chilly|chillier, frosty|frostier|wintry|icy|icier|cold|colder look|feel'), obj(tone('cool', 'warm'))],
  [rare('warming|warmed, warming|warm it up'), { t: 'act', act: 'make', slot: 'tone', obj: tone('warm', 'cool') }],
  [rare('saturation|vibrancy|vividness, colour saturation|intensity'), obj(COLOURS)],
  [rare('colourless|achromatic|monotone|monochrome look, grey scale, black white'), obj(tone('bw', 'keep'))],
  [rare('tack|pin|needle|pin point sharp, sharp as a tack, high definition, hi def, hd, ultra hd, 4k, 8k, crispy, acuity, micro contrast, microcontrast, more detail|details, finer detail|details'), obj(CRISP)],
  [rare('gauzy|gauzier|diffuse|diffused|ethereal|velvety|glowy|dreamlike|painterly, soft glow'), obj(SOFT)],
  [w('noise, digital|sensor|colour|chroma|luminance|speckle|background noise, static'), obj(damage('noise'))],
  [w('noisy'), obj(damageState('noise'))],
  [w('blur|blurs|blurriness|blurred, fuzziness, motion blur, motion|camera shake, shake|shakes|wobble|judder, camera wobble, low resolution|res, lack of focus'), obj(damage('blur'))],
  // "fix the softness" undoes blur; "a velvety softness, please" asks for it.
  [w('softness'), obj({ ...damage('blur'), bare: 'sharpness:soft' })],
  [w('the blur'), obj(damage('blur'))],
  [w('blurry|fuzzy|unfocused|unsharp|shaky|wobbly|smeared|smeary, out of focus, focus is|was off|bad|poor|wrong, bad|poor|wrong focus, soft focus'), obj(damageState('blur'))],
  [w('jpeg, jpeg artefact|artefacts|blocks|blocking|compression|mess, artefact|artefacts from compression|jpeg, compression, compression artefact|artefacts|blocks|noise|damage, artefact|artefacts, block|blocks|blockiness|blocking, macroblocks|macroblocking, ringing, mosquito noise, pixel blocks, squares|squarey|squary, little squares, square blocks'), obj(damage('jpeg'))],
  // "it's gone pixelated": the squares of a copy enlarged or compressed too far.
  [w('blocky, pixelation|pixelated|pixellated|pixely, pixels'), obj(damageState('jpeg'))],
  [w('fading|fade|fades, faded look|appearance, washed out look, haze|haziness, dullness, low contrast, fogging|fog, faded tone|tones, faded print, faded contrast|blacks|whites'), obj(damage('fading'))],
  [w('faded, washed out, dull|flat|hazy|dingy|muddy|murky|foggy|pale|bleached|drained|milky|misty|cloudy'), obj(FADED)],
  // "a grey veil over everything": the fog of a faded print, not a wish for grey (a bride's veil is her veil).
  [rare('grey|white|milky|misty|foggy|hazy veil, veil over it|everything|the photo|the picture|the whole picture|the whole thing, lift the veil'), obj(damage('fading'))],
  [w('contrast|contrasts|depth, levels, dynamic range, s curve, contrast curve, tone curve'), obj(CONTRAST)],
  [rare('histogram, tonal range|scale, density, oomph, welly, punch'), obj(CONTRAST)],
  [rare('stretch|stretched|stretching|expand|expanded|widen|widened, spread out'), { t: 'act', act: 'add' }],
  [rare('stretch|expand|spread|widen the tones|tonal range, stretch|spread the tones out, stretch|spread out the tones, darks darker, blacks blacker, blacker blacks, black|blacks must|should be more black|deep, black|blacks must|should be blacker|deeper, black|blacks more black, lights lighter, whites whiter, dark|darker|shadow parts|bits|areas|tones darker, light|lighter|bright parts|bits|areas|tones lighter|brighter, whites|highlights their sparkle|brightness, shadows|blacks their weight|depth|richness, sparkle in the whites|highlights, weight in the shadows|blacks'), { t: 'act', act: 'add', slot: 'fading', obj: CONTRAST }],
  // "make more big the difference between the dark and the light" (a non-native writer's contrast).
  [rare('difference between the dark|darks|shadows|blacks|black and the light|lights|highlights|whites|white|bright, difference between dark|darks|black|blacks and light|lights|white|whites|bright'), obj(CONTRAST)],
  [rare('make more big, make it more big, more big'), { t: 'act', act: 'add' }],
  [rare('proper black and white points'), obj(CONTRASTY)],
  [rare('pasty|wan|murky grey, mid grey, muddy grey, all mid grey, bunched in the middle, flat as a pancake'), obj(FADED)],
  [w('contrasty|punchy|punchier, high|higher|more|strong|stronger contrast, deep|deeper|richer|stronger|darker blacks|shadows'), obj(CONTRASTY)],
  // "contrast up", "sharpness up": a property turned up after its name.
  [w('lift|reduce|undo the fading|fade|haze, lift fading, give it some|more depth|contrast|punch, contrast|contrasts up, contrast back, some contrast back, contrast boost|boosted, deepen|darken the blacks|shadows, deepen|darken blacks|shadows'), { t: 'act', act: 'add', slot: 'fading', obj: CONTRAST }],
  [w('sharpness|detail|details up'), { t: 'act', act: 'add', slot: 'sharpness', obj: SHARPNESS }],
  // ----- grain and texture -----
  [rare('analogue|analog|film|filmic feel|look|quality, filmic, looking like film, film stock'), obj(GRAIN)],
  [w('grain|grains|graininess, film grain, grain structure|pattern, film texture, grainy look|texture, film look, grainy film look, film grain look'), obj(GRAIN)],
  [w('grainy|gritty|grainier'), obj(GRAINY)],
  // "same grain", "the same colours": kept as they are.
  [rare('lighter|finer|thinner|softer grain'), { t: 'act', act: 'reduce', slot: 'grain', obj: GRAIN }],
  [w('same grain|texture, same amount of grain'), { t: 'act', act: 'keep', slot: 'grain', obj: GRAIN }],
  [w('same colour|colours|tone|tones'), { t: 'act', act: 'keep', slot: 'tone', obj: COLOURS }],
  [w('texture|textures'), obj(TEXTURE)],
  [w('smoother|silky, clean looking, grain free, free of grain'), obj(SMOOTH)],
  // ----- sharpness -----
  [w('sharpness|detail|details|clarity|definition|edges|crispness|resolution|bite, fine detail|details'), obj(SHARPNESS)],
  // "fix the focus", "sort the focus out": the focus that missed is blur to undo, not sharpening to add.
  [w('focus, the focus'), obj(damage('blur'))],
  // "clear the specks", "clear them": clearing a thing away, not making the photo clearer.
  [w('clear the|these|those|them|away|off|all|any, clear it, clear it up|away|off'), { t: 'act', act: 'fix' }],
  // "no ringing around the edges": the halos of oversharpening refused.
  [rare('no ringing|halos|haloes|halo around|round|on|at|along the edges|edge'), obj(NATURAL_SHARPNESS)],
  // "no sepia left in it": what remains, not a request to leave it.
  [rare('left in it|there|anywhere, left in the photo|picture, left over, remaining'), { t: 'at' }],
  // "mosquito noise round the edges": where a defect is, not the edges to sharpen.
  [rare('round|around|along|near|at the edge|edges|border|borders|margin|margins, round|around the edges of'), { t: 'at' }],
  // "patch it", "patch the gouge": patching is mending, not a stained patch.
  [w('patch the|it|them|this|that|those|these'), { t: 'act', act: 'fix' }],
  [w('sharp|sharper|sharpest|crisp|crisper|detailed|defined, more defined, razor sharp'), obj(CRISP)],
  // "make her face clearer", "get it in focus": the blur undone, not sharpening added.
  [w('clear|clearer, crystal clear, in focus'), obj(CLEAR)],
  [w('softer|dreamier'), obj(SOFTER)],
  [w('soft|dreamy|blurrier, gentle focus, soft look, soft focus look|effect|feel|style|portrait|finish'), obj(SOFT)],
  [w('natural|normal|realistic sharpness|detail|details|focus|edges, natural|normal amount of sharpness|detail, natural|normal level|amount of sharpening, sharpening at a natural|normal|moderate level, nothing|not crunchy|crispy|harsh|overcooked'), obj(NATURAL_SHARPNESS)],
  // ----- tone -----
  [w('sepia, sepia tone|tones|toning|look|tint|colour, cast|tint|tints|tinting|yellowing|discolouration|discoloration|toning, colour cast, yellow|yellowish|orange|green|magenta|red|blue|brown|pink|purple tint|cast|tone|tones, vintage tint'), obj(CAST)],
  // "warm tones please" asks for them; "remove the warm tint" takes the cast out.
  [w('warm tint|cast|tone|tones'), obj({ slot: 'tone', kind: 'state', value: 'warm', less: 'neutral', fix: 'neutral', keep: 'keep', not: 'neutral' })],
  [w('colour|colours|coloured|hue|hues|tone|tones|colouring|tonality|palette, colour tone|tones|balance'), obj(COLOURS)],
  [w('faded|pale|bleached|drained colour|colours|hues, washed out colour|colours|hues, colours have faded, colours are faded, colours faded, colour|colours has|have|had gone|turned|become|got pale|faded|dull|bleached|drained, colour|colours has|have|had gone|turned|become washed out, colour|colours gone|turned pale|faded|dull|bleached|drained'), obj(FADED_COLOURS)],
  [w('warmth, warm feel'), obj(WARMTH)],
  [w('a little|bit|touch|hint of warmth, a little warmth, some|more warmth'), obj(tone('warm', 'cool'))],
  // "it's a cyanotype, meant to be blue": the hue is the process's own.
  [w('meant|supposed to be blue|brown|sepia|yellow|yellowish|brownish|warm|cool|toned|tinted, cyanotype|cyanotypes'), obj(tone('keep', 'neutral'))],
  [w('white balance, colour temperature, temperature'), obj(WHITE_BALANCE)],
  [rare('black point|points, black and white points, black|white level|levels'), obj(CONTRAST)],
  [rare('little white|black point|points|bits'), obj(damage('dust'))],
  // "Flat. Grey. Lifeless.": grey on its own is how a faded print looks, not a wish for black and white.
  [w('grey|gray'), obj({ ...tone('bw', 'keep'), bare: '' })],
  [w('black and white, white and black, greyscale|monochrome|mono|monochromatic, grey tones, shades of grey, neutral black and white|grey|greyscale, pure black and white|grey'), obj(tone('bw', 'keep'))],
  [w('warm|warmer|warmest|golden|hot, warm|warmer tones|feel|look, less blue|bluish, more yellow|orange'), obj(tone('warm', 'cool'))],
  [w('cool|cooler|colder|cold|bluer|icy|icier, cool|cooler tones|look, icy|ice|steel|cold blue, more blue|bluish'), obj(tone('cool', 'warm'))],
  [w('yellow|yellowish|yellowed|orange|orangey|brownish|brown|green|greenish|magenta|pink|pinkish|purple|red|reddish|blue|bluish|blueish'), obj(HUE)],
  [w('neutral, neutral colours|tones|grey, natural|normal|true|correct|accurate|realistic colour|colours|tones, colour|colours|tones look|looking natural|normal|right|correct|realistic'), obj(tone('neutral', 'keep'))],
  [w('colourful|vivid|vibrant|saturated, in colour, full colour, lively colours'), obj({ ...tone('restore', 'keep'), keep: 'keep' })],
  [w('vintage|aged|character, vintage|old|aged|antique|period look|feel, looking old, look old, old fashioned, old fashioned look'), obj(OLD_LOOK)],
  [w('new|modern|fresh, brand new, like new, taken yesterday|today, look|looks new'), obj(NEW_LOOK)],
  [w('fake|artificial|plastic|plasticky|unnatural|waxy, ai generated|made, computer generated, over edited|processed'), obj(ARTIFICIAL)],
  // "can it be cooler? like bluer": "like" before a comparative is chat filler, not a liking.
  [w('like warmer|warmer|redder|yellower|golden, golden hour, like golden hour'), obj(tone('warm', 'cool'))],
  [w('like cooler|colder|bluer'), obj(tone('cool', 'warm'))],
  // "like a photo off a new phone": a comparison, not a liking (a wish is "I'd like a …", read as "would like").
  [rare('like a|an photo|picture|pic|snapshot|image|painting|drawing|postcard|film|movie'), { t: 'photo' }],
  // "a smear of something like jam", "what looks like a hair": a likeness, not a liking; "re-saved as a JPEG": not kept.
  [rare('something|stuff like, kind|sort of like, what looks|looked|seems|seemed like, adds|add|gives|give character, adds|gives it character, the usual tone|tones|toning|colour|colours|look|sepia|brown|purplish|damage|wear|fading|suspects, wax doll|dolls|figure|figures|museum|work|works, waxwork|waxworks, polka dot|dots|dotted, resaved|resave|resaving, re saved|save|saves|saving, saved as, save it as'), { t: 'photo' }],
  // "a photo off a new phone", "a new frame": a new thing, not a new look.
  [rare('new phone|phones|camera|cameras|frame|album|copy|scanner|computer|laptop|version|iphone|smartphone|printer, fibre|fiber paper|based|base, baryta paper, photo|photographic paper'), { t: 'photo' }],
  // "no colour adjustments", "no tonal changes": the tone left as it is, not taken to black and white.
  [rare('colour|tone|tonal|tint|toning adjustment|adjustments|change|changes|correction|corrections|edits|work|shift|shifts|tweaks'), obj({ slot: 'tone', kind: 'thing', fix: 'neutral', reduce: 'neutral', keep: 'keep', restore: 'restore', not: 'keep', bare: '' })],
  [w('like sharper|crisper'), obj(CRISP)],
  [w('like clearer'), obj(CLEAR)],
  [w('like softer'), obj(SOFT)],
  [w('colours|colour pop, pop, vivid|vibrant|bright|colourful|lively again'), { t: 'act', act: 'restore', slot: 'tone', obj: COLOURS }],
  // ----- actions -----
  [w('remove|removes|removed|removing|removal|eliminate|eliminated|erase|erased|kill|zap|lose|delete|banish|heal|mend, rid of, get rid of, take out|away|off, wipe out|away|off, get out|off, rub|scrape|peel off, clean out|off, clear up|out, patch up, fill in, cover up, deal with, do what you can about|with, sort out, do something|anything|much about, take care of, strip|stripped, strip out|away|off, brush off|away|out, scrub|scrubbed, scrub out|away|off, undo|reverse, patch|patched'), { t: 'act', act: 'fix' }],
  // "lift the stains", "lift the contrast": for a defect, taken away; for contrast, a fix is its increase.
  [w('lift|lifted|lifting'), { t: 'act', act: 'fix' }],
  [rare('hoover|hoovr|whisk|sweep|chuck|turf|redd up|away|out|off'), { t: 'act', act: 'fix' }],
  [rare('cull|weed, weed out, pick off|out, pick it|them off|out, mop up'), { t: 'act', act: 'fix' }],
  [rare('even out, even it|them|that|those out, sponge|launder|dab|wash off|away|out, efface|suture|knit|launder|sponge'), { t: 'act', act: 'fix' }],
  [w('lift the colour|colours, lift colour|colours'), { t: 'act', act: 'restore', slot: 'tone', obj: COLOURS }],
  [rare('inpaint|inpainting|infill|ditch|nix|axe|purge|obliterate|vanquish|exterminate|eradicate|expunge, blot|paint|clone|airbrush|retouch|photoshop out|away|over, iron out, get shot|shut of, do away with, see off, tidy away, clear away|off, rub out, knock out, buff out, cancel out, filter out, lose|losing'), { t: 'act', act: 'fix' }],
  // "eight-by-eight squares. Smooth those over.": smoothed away, not a smooth look.
  [rare('smooth over, smooth it|that over, smooth those|them|these over|out|away, smooth out|away|over those|them|these, smooth over it|that'), { t: 'act', act: 'fix' }],
  [rare('touch up, touch it up, spruce up, freshen up, do up, polish, polish up, doctor, fix up, overhaul'), { t: 'act', act: 'fix', generic: true }],
  // "it's super blurry, pls help": a plea after what is wrong asks for it to be fixed.
  [rare('help, help me|us, help with it|this|that, save it|this'), { t: 'act', act: 'fix', generic: true }],
  // "my mum wants it gone", "I'd like them gone": the thing named before, taken away.
  [rare('would like|want|need repaired|removed|fixed|sorted|mended|gone|cleaned|retouched, want|wants|wanted|like it|them|that|those gone, want|wants|wanted|like it|them|that|those removed|fixed|sorted, get it|them gone'), { t: 'act', act: 'fix' }],
  [rare('temper|tempered, thin, thin down, hush|hussh|tamp|settle, tamp down, lighten|lightened|refine|refined|pare, pare back|bak|down, take the edge off, take off the edge, mute, take down, tone back, pull back, knock back, knock down, bring down, trim|trimmed|thin|thinned out, dampen|dampened|suppress|suppressed|subdue|subdued|quieten|weaken|weakened|attenuate|mitigate, damp down, quiet down, scale back, ease, ease off|up|back'), { t: 'act', act: 'reduce' }],
  [rare('honour|honor|cherish|safeguard|conserve|guard, hang on to|onto, hold onto, keep hold of'), { t: 'act', act: 'keep' }],
  [rare('do not bother with|w|about, not bother with, refrain from, forgo|forego, give a miss'), { t: 'act', act: 'keep', leave: true }],
  [rare('pay no heed|attention to, spare, keep off, keep your hands|mitts|paws off, stay|keep away from, steer clear of, do not go near|anywhere near, go nowhere near, work around, hold off on'), { t: 'act', act: 'keep', leave: true }],
  [rare('push'), { t: 'act', act: 'add' }],
  [rare('accentuate|emphasise|emphasize|intensify|intensified|juice|jazz, juice|jazz|beef|pep up'), { t: 'act', act: 'add' }],
  [rare('reinstate|revitalise|revitalize|rejuvenate|reawaken, breathe life into, breathe new life into, bring to life, liven|perk up'), { t: 'act', act: 'restore', generic: true }],
  [w('fix|fixed|fixes|fixing|repair|repaired|repairing|correct|corrected|correction|clean|cleaned|cleaning|cleanup|treat|sort|sorted|balance|tidy, clean up, tidy up'), { t: 'act', act: 'fix', generic: true }],
  [w('reduce|reduced|reducing|reduction|lessen|minimise|diminish|tame|calm|lower|decrease|halve|halved, tone|toned|turn|cut|dial|calm down, dial back, less noticeable|visible|obvious|prominent'), { t: 'act', act: 'reduce' }],
  [w('keep|keeps|kept|keeping|preserve|preserved|preserving|retain|retained|maintain|save|respect|protect, hold on to, stick with, stay with, stay true to'), { t: 'act', act: 'keep' }],
  [w('leave|leaving|left|ignore|ignoring|skip|disregard|forget, forget about, let be, let it be, never mind, nevermind, hands off'), { t: 'act', act: 'keep', leave: true }],
  // "I'm not fussed about the noise on the quay": a defect the owner accepts is left.
  [rare('not fussed|bothered|worried|concerned about|by, do not care about, do not mind about'), { t: 'act', act: 'keep', leave: true }],
  [w('like|love|likes|loves|liked|loved|enjoy|prefer|adore, fond of, happy|fine|okay with, do not mind|care, dont mind, do|does|did not bother|disturb me|us, can live with'), { t: 'act', act: 'keep' }],
  [w('add|adding|increase|increased|boost|boosted|raise|amplify|strengthen|heighten|extra, bump|turn|crank|pump|dial|ramp up, more of, deepen|deepened|enrich, tighten|tightened, tighten up'), { t: 'act', act: 'add' }],
  [w('improve|improved|improving|enhance|enhanced|enhancing|enhancement, brush up'), { t: 'act', act: 'add', generic: true }],
  [w('restore|restored|restoring|restoration|revive|revived|recover|recovered|return|resurrect|renew|refresh|rescue, bring back|out, bring it|them|those|that back, give|put back, give|put it|them back'), { t: 'act', act: 'restore', generic: true }],
  [w('change|changed|changes|changing|alter|altered|alteration|alterations|modify|modified|adjust|adjusted|edit|edits|retouch|retouching, mess|tamper|play|fiddle|meddle with, mess up, worry about|over, bother with'), { t: 'act', act: 'change' }],
  [w('touch|touched|touching, work on, do anything to'), { t: 'act', act: 'touch' }],
  // "don't go near the family": as "don't touch".
  [rare('go|come|get near, go|come|get anywhere near, go|come|get close to, lay|put a finger on, lay|put a hand on, lay|put hands on'), { t: 'act', act: 'touch' }],
  [w('want|wanted|wants|need|wish|desire|meant, would like, hoping|looking for, aim|go for, would be nice|good|lovely|great'), { t: 'act', act: 'want' }],
  [w('hate|hates|dislike|dislikes|detest, can not stand, sick of, tired of, annoyed by'), { t: 'act', act: 'reject' }],
  [w('make|makes|making|turn|turned|convert|converted|render|give|transform|do, get it, can|could|would|should|will it|this|they be, can|could this one be, make it be'), { t: 'act', act: 'make' }],
  [w('improvements|improvement|work|processing|job|upscale|upscaling|enlarge|apply'), { t: 'act', act: 'fix', generic: true }],
  // slot verbs
  [w('denoise|denoised|denoising, de noise, noise reduction|removal'), { t: 'act', act: 'fix', slot: 'noise', obj: damage('noise') }],
  // "despeckle" (every labelled set): the specks of dust, not the noise.
  [w('despeckle|despeckled|despeckling, de speckle'), { t: 'act', act: 'fix', slot: 'dust', obj: damage('dust') }],
  // "there's a double image, steady it up".
  [rare('steady it|this|that|them up, steady up'), { t: 'act', act: 'fix', slot: 'blur', obj: damage('blur') }],
  [w('deblur|deblurred|deblurring|unblur|unblurred|refocus|deconvolve|deconvolution|stabilise|stabilize|stabilised|stabilized|deshake, de blur, de shake, steady it|them|him|her, bring into focus, bring it into focus, focus it, into focus'), { t: 'act', act: 'fix', slot: 'blur', obj: damage('blur') }],
  [w('degrain|degraining, de grain'), { t: 'act', act: 'fix', slot: 'grain', obj: GRAIN }],
  [w('smooth|smoothen|smoothing|smoothed|airbrush|airbrushed, smooth out'), { t: 'act', act: 'fix', slot: 'grain', obj: GRAIN }],
  [w('dust|speck|specks|lint removal'), { t: 'act', act: 'fix', slot: 'dust', obj: damage('dust') }],
  // "no scratch removal": the removal refused, not the scratches.
  [w('scratch|scratches|crease|creases|fold|tear|crack removal'), { t: 'act', act: 'fix', slot: 'scratches', obj: damage('scratches') }],
  [w('stain|stains|blotch|blotches removal'), { t: 'act', act: 'fix', slot: 'blotches', obj: damage('blotches') }],
  [rare('descratch|descratching, de scratch'), { t: 'act', act: 'fix', slot: 'scratches', obj: damage('scratches') }],
  [rare('dedust|dedusting|spotting, de dust, spot out|away'), { t: 'act', act: 'fix', slot: 'dust', obj: damage('dust') }],
  // "spot the dust out of the sky": spotting as a verb.
  [rare('spot the|any|all|those|these'), { t: 'act', act: 'fix', slot: 'dust', obj: damage('dust') }],
  [rare('destain|destaining, de stain'), { t: 'act', act: 'fix', slot: 'blotches', obj: damage('blotches') }],
  [rare('dehaze|dehazing|defade|unfade, de haze|fade'), { t: 'act', act: 'fix', slot: 'fading', obj: FADED }],
  [rare('deyellow|unyellow|desepia, de yellow|sepia|brown|tint|cast, un yellow'), { t: 'act', act: 'fix', slot: 'tone', obj: CAST }],
  [rare('dejpeg, de jpeg'), { t: 'act', act: 'fix', slot: 'jpeg', obj: damage('jpeg') }],
  [w('deblock|deblocking, de block'), { t: 'act', act: 'fix', slot: 'jpeg', obj: damage('jpeg') }],
  [rare('crispening|crispened'), { t: 'act', act: 'add', slot: 'sharpness', obj: SHARPNESS }],
  [w('sharpen|sharpened|sharpening|crispen|upsharpen, sharpen up, crisp up, unsharp mask|masking'), { t: 'act', act: 'add', slot: 'sharpness', obj: SHARPNESS }],
  [rare('hone|whet|honed|whetted'), { t: 'act', act: 'add', slot: 'sharpness', obj: SHARPNESS }],
  [rare('blunt|blunted'), { t: 'act', act: 'reduce', slot: 'sharpness', obj: SHARPNESS }],
  [w('punch up'), { t: 'act', act: 'add', slot: 'fading', obj: CONTRAST }],
  [rare('overdo|overdoing the sharpening|sharpness|detail, too much sharpening, excessive|extra|added sharpening, extra sharpening pass, oversharpn'), { t: 'act', act: 'add', slot: 'sharpness', obj: SHARPNESS, over: true }],
  [w('oversharpen|oversharpened|oversharpening|overprocess|overprocessed, over sharpen|sharpened|sharpening|process|processed|processing|sharp|crisp, oversharp|overcrisp, too sharp'), { t: 'act', act: 'add', slot: 'sharpness', obj: SHARPNESS, over: true }],
  [w('soften|softened|softening, blur it, blur the'), { t: 'act', act: 'reduce', slot: 'sharpness', obj: SHARPNESS }],
  [w('neutralise|neutralised|neutralising|decast, white balance it'), { t: 'act', act: 'fix', slot: 'tone', obj: CAST }],
  [w('desaturate|desaturated'), { t: 'act', act: 'make', slot: 'tone', obj: tone('bw', 'keep') }],
  // "remove all the colour", "drain the colour out completely": none left, so black and white (not a cast removed).
  [rare('remove|strip|drain all the colour|colours|color|colors, take out all the colour|colours|color|colors, remove|strip|drain all colour|color, remove|strip|drain the colour|color completely|entirely'), { t: 'act', act: 'make', slot: 'tone', obj: tone('bw', 'keep') }],
  [w('colourise|colourised|colourising|colourisation|recolour, add colour|colours'), { t: 'act', act: 'add', slot: 'tone', obj: { slot: 'tone', kind: 'prop', add: 'restore', not: 'keep', keep: 'keep' }, note: 'colourise' }],
  [w('warm up, warm it|this up, warm it, warm the'), { t: 'act', act: 'make', slot: 'tone', obj: tone('warm', 'cool') }],
  [w('cool down, cool it|this down, cool it, cool the, chill|chill down, chill it|this down, chill the'), { t: 'act', act: 'make', slot: 'tone', obj: tone('cool', 'warm') }],
  [w('overdo|overdone|overboard|drastic|dramatic|dramatically|radical|radically|crazy, overdo it, go overboard, go too far, too far, too heavy|strong|aggressive|aggressively|hard|drastic'), { t: 'int', level: 'high' }],
  // "massively overdo it, it's for a joke card": overdoing asked for.
  [rare('massively|totally|really|deliberately|completely|absolutely overdo it, overdo it on purpose|deliberately'), { t: 'strength', value: 'strong' }],
  // ----- strength -----
  [w('minimal|minimally|minimum|subtle|subtly|conservative|conservatively|careful|carefully|delicately|delicate|understated|restrained, barely touch|change|alter|adjust|retouch|edit, barely noticeable|perceptible|visible changes|edits|retouching|restoration, light|soft|gentle touch, gentle|light restoration, minimal changes, go easy, easy on it, take it easy, lighten up, lighten up on, hold back, tread lightly, small|little changes, not much, gently, do not go overboard|wild|mad|crazy, with kid gloves, kid gloves, do not overdo it, do not go too far, easy on|with, go easy on|with'), { t: 'strength', value: 'gentle' }],
  [w('normal|standard|regular|usual|default|medium|moderate restoration|strength|processing|amount|treatment, normal|standard|usual|regular amount, middle of the road, middle of the road strength, normal|medium|moderate|average on, normal|standard|regular|usual|default restore'), { t: 'strength', value: 'normal' }],
  [w('max|maximum|strongest|maximal|pristine, best|strongest|maximum possible, all out, go all out, go wild, max|maximum|full strength, full force, to the max, heavy|strong|full restoration, no holds barred, every trick, go strong|stronger|harder|heavy|heavier, as good as new, good as new, whatever it takes, everything you can|have, all you can|have, throw everything at it, go to town, go to town on it, full whack|throttle|blast, no half measures, kitchen sink, the full works, the works, pull out all the stops, all the stops, whole hog, go the whole hog, go big, stronger|heavier|harder restore|restoration, a notch|touch|tad stronger|harder|heavier, notch stronger|harder|heavier'), { t: 'strength', value: 'strong' }],
  [rare('with restraint, light handed, light hand, soft hand, lightly does it, nothing heavy, low key, lowkey, nothing drastic, keep it light|subtle, a light|gentle|quick pass, light edit|cleanup, minor fixes|tweaks, small tweaks, tweak|tweaks'), { t: 'strength', value: 'gentle' }],
  [rare('hell for leather, stronger, stronger than last time|before, hammer and tongs, boots and all, give it heaps, really go for it, go for it, go all the way, spare no effort, with all force, all force, punchy restoration, crank up the whole restoration, full power|powr, no holding back, be bold, robust restoration, fullest possible restoration, fullest restoration, full commercial retouch, full restore, go nuts|ham|hard, full send, all guns blazing, guns blazing, flat out, full tilt, at full tilt, max out, maxed out, big guns, bring out the big guns, leave no stone unturned, every trick in the book, spare nothing, hold nothing back, do not hold back, do not hold anything back, no restraint, go nuclear, full power, full on, to eleven, up to eleven, as hard as you can, as strong as you can, as strongly as you can'), { t: 'strength', value: 'strong' }],
  [rare('smidge|smidgen|pinch|whisker, a smidge|smidgen|dash|pinch|whisker|fraction, a tiny bit|amount, ever so slightly, just a tad'), { t: 'int', level: 'low' }],
  [rare('lowest|lightest|weakest|minimum|gentlest setting|strength|level, easy does it, baby steps, dial|scale it back, soft handed, lighter|lightest restoration|hand|touch|intervention|treatment|edit|pass, a lighter hand, hardly anything, go canny, canny, do not get carried away, without getting carried away, a whisper of, whisper of, lightest possible, as little as possible, as lightly as possible, strength down'), { t: 'strength', value: 'gentle' }],
  [rare('ordinary|standard|regular|usual|default|middle|mid|medium|middling|vanilla|normal strength|setting|settings|level|amount|intensity|force|restoration, the usual, usual level, the default is|seems fine|ok|okay|good|best|plenty, the default will do, go with|use|back to the default, default settings, standard issue, at middle strength, whatever the default is, medium, mid strength'), { t: 'strength', value: 'normal' }],
  // "strong on the castle, softly on the kids", "a normal job on the hall": a strength given to a region.
  [rare('softly|gently|tenderly, softly|gently|carefully|lightly on, softer|gentler|lighter touch|hand, a softer|gentler|lighter touch|hand, light|mild with, go light on, really careful|gentle|delicate with, extra careful|gentle|delicate with, careful|gentle|delicate|tender with, lighter|gentler|easier|lightest|gentlest on|with|for, feather light|featherweight on|with|for|round, featherweight, feather light, kid gloves, kid gloves for|with|on, tread lightly round|around|on|with'), { t: 'strength', value: 'gentle' }],
  [rare('middling|medium on, standard|normal|regular|usual|ordinary on, a normal|standard|regular|usual|ordinary job|pass|amount|go, normal|standard|regular|usual|ordinary job|pass, normal|standard|usual|regular|middling|medium|average with, the usual on|for'), { t: 'strength', value: 'normal' }],
  // "you can be tougher on the rest", "heavier on the garden wall": strong for one region.
  [rare('be bold|bolder|fierce|tough|tougher|firm with|on, bold|fierce on|with, strong|heavy|hard|aggressive with, tougher|harder|heavier|stronger|firmer|bolder|rougher on|with|for, heavy handed|heavyhanded with|on, go heavy|heavier|harder|tougher on, full whack|monty|throttle|treatment|works on|for'), { t: 'strength', value: 'strong' }],
  // "you can go harder on the beach huts": a strength, not "the stains can go".
  [rare('can|could|should|may go harder|stronger|heavier|tougher|further|bolder'), { t: 'strength', value: 'strong' }],
  [rare('can|could|should|may go easier|lighter|gentler|softer'), { t: 'strength', value: 'gentle' }],
  // "it was far too heavy-handed", "previous result was too timid", "be bolder this time", "much lighter this time".
  [rare('heavy handed|heavyhanded'), { t: 'strength', value: 'strong' }],
  [rare('timid|half hearted|halfhearted'), { t: 'strength', value: 'gentle' }],
  // "go in strong, it's very damaged", "Strong please.": the whole job; "it should still look its age": the owner's wish for a light hand.
  [rare('go|come in strong|hard|heavy, strong please|pls|plz'), { t: 'strength', value: 'strong' }],
  [rare('still look|looks it is age|old, look|looks it is age, show|shows it is age'), { t: 'strength', value: 'gentle' }],
  // "the colour let same" (a non-native writer's "leave it as it is").
  [rare('let same, let it same, let stay same, let be same, leave same'), { t: 'act', act: 'keep', leave: true }],
  [rare('be bolder|braver, bolder|braver|stronger|harder|heavier this time, go bolder|braver'), { t: 'strength', value: 'strong' }],
  [rare('lighter|gentler|subtler this time, a lighter|gentler|softer|subtler touch this time'), { t: 'strength', value: 'gentle' }],
  [w('gentle, gentler'), { t: 'strength', value: 'gentle' }],
  [w('light|lightly|mild|mildly|slight|slightly|bit|little|somewhat|tad|some|moderately|moderate, a bit|touch|tad|hint, a little, a little bit, little bit, kind|sort of, a small amount'), { t: 'int', level: 'low' }],
  [w('very|really|super|extremely|so|quite|really really, very very'), { t: 'very' }],
  [w('completely|totally|entirely|fully|altogether|wholly, all the way, every bit'), { t: 'int', level: 'high', whole: true }],
  [rare('ruthless|ruthlessly|relentless|merciless|mercilessly'), { t: 'int', level: 'high' }],
  [w('strong|strongly|heavy|heavily|aggressive|aggressively|hard|harder|thoroughly|thorough|seriously|massively|lots|properly|absolutely|utterly|deeply|intensely|intense|hugely|badly|severely, very much, a lot, a lot of, lots of, as much as possible, as much as you can, as far as possible, big time, heavy duty'), { t: 'int', level: 'high' }],
  // ----- negation, restriction -----
  // "noise reduction off", "sharpening off": an operation switched off after its name.
  [w('noise reduction|removal off|disabled, denoising|denoise off|disabled'), { t: 'act', act: 'keep', leave: true, slot: 'noise', obj: damage('noise') }],
  // Written as settings: "Noise reduction: on. Sharpening: off.", "NR to zero".
  [rare('noise reduction : on|yes, noise reduction on, denoising|denoise : on|yes'), { t: 'act', act: 'fix', slot: 'noise', obj: damage('noise') }],
  [rare('noise reduction : off|none|no|zero|nil, noise reduction to zero, noise reduction none, no noise reduction'), { t: 'act', act: 'keep', leave: true, slot: 'noise', obj: damage('noise') }],
  [rare('sharpening|sharpen : off|none|no|zero|nil, sharpening none, sharpening to zero, no sharpening at all'), { t: 'act', act: 'keep', leave: true, slot: 'sharpness', obj: { ...SHARPNESS, keep: 'blur:leave' } }],
  [rare('softening|soften : off|none|no|zero|nil, softening none|off, no softening'), { t: 'act', act: 'keep', slot: 'sharpness', obj: NATURAL_SHARPNESS }],
  [w('sharpening|sharpen off|disabled'), { t: 'act', act: 'keep', leave: true, slot: 'sharpness', obj: { ...SHARPNESS, keep: 'blur:leave' } }],
  [w('turn|switch off, disable|disabled'), { t: 'neg' }],
  [rare('hold off with, hold off'), { t: 'neg' }],
  // "denoising is not wanted on this one": the operation named first, then refused (as a deferred one is).
  [rare('is|are not wanted|needed|required|necessary|desired|welcome, is|are unwanted|unnecessary|unneeded, not wanted|needed|required|necessary'), { t: 'defer' }],
  [w('not|no|never|without|neither|nor|avoid|stop|zero, do|does|did|will|should|can|must not, no need to|for, rather not, would rather not, free of|from'), { t: 'neg' }],
  [w('only|just|solely|exclusively|merely|strictly|purely, nothing more than, limit|limited|restricted to'), { t: 'only' }],
  [w('except|besides|excluding, except for, other than, apart|aside from, save for'), { t: 'except' }],
  [w('everything|all|anything but, everything|anything except, everything|anything other than'), { t: 'except', all: true }],
  [rare('restrict|restricted|confine|confined|limit|limited it|restoration|work|yourself to, restrict|restricted|confine|confined|limit|limited the restoration|work|retouching to, home|zero in on, focus solely on, solely on, all i care about, are|is all i care about, all i am after is, that is all i am after, all the photo|picture|print needs is, all this one needs is, all this needs is, the only thing i want|need, the only thing i would like|want|ask for, keep it to, keep the work|restoration|repairs|changes to, the one thing i want|need|would like, is all i would like|want|need, is all i am asking for, all it needs|wants is, all that is needed is, all it needs is for, limit|confine yourself to, do nothing beyond|but|except|other than, nothing beyond'), { t: 'only' }],
  [w('nothing but|except, nothing other than, none but, all i want|need|ask is|for, all i am asking for, all i would like is'), { t: 'only' }],
  [w('lacking|lacks|missing, too low|weak|little, not enough, needs more, could use more, could use some'), { t: 'lack' }],
  [w('nothing else, and nothing else, nothing besides, and nothing besides, leave everything|all else, leave the rest, nothing more, no more and|or no less, no more no less, nothing more and|or nothing less, nothing more nothing less'), { t: 'nothing-else' }],
  // "mend the tear and leave it at that", "that's the whole request", "do nowt else".
  [rare('no more than that|this, nothing more than that|this, and no more, nowhere else, and nowhere else, leave it at that, leave it there, leave all else be|alone, let all else be, that is the whole|entire request|job|brief|ask|lot, that is my whole|entire request|ask, nowt|naught|nought else, do nowt|naught|nought else|more, and that is the lot, that is the lot'), { t: 'nothing-else' }],
  [rare('the sole|single|one thing|job|task|fix to fix|do|change|repair|mend, the sole|single thing|fix, the one job|task|fix|thing, single|one job|task'), { t: 'only' }],
  [rare('the rest stays|stay|remains exactly as it is|was, the rest can stay exactly as it is, everything else stays|stay|remains exactly as it is|was, everything else stays|stay|remains as found, keep your|the hands off everything else, hands off everything else, the rest stays|stay|remains as it is|was, the rest stays|stay|remains as is, the rest stays|stay|remains the same|untouched|unchanged, the rest can stay as it is, leave every other thing untouched|alone, every other thing untouched, that is it, and that is it, that is all, and that is all, call it a day, and call it a day, be done with it, and be done with it, do not go beyond that|this, go no further, no further, no other fixes|repairs|fixing|corrections|adjustments, i mean just|only that, no other retouching|changes|edits|work, leave every other thing as it is, everything else can stay, do nothing else, otherwise hands off, hands off otherwise, leave rest, rest as is, the rest as is, leave every other bit|part alone, do not touch|change anything|everything else, do not lay|put a finger|hand on anything|everything else, do not work on|go near anything|everything else, touch|change nothing else, leave everything else alone, do not do anything else, and stop there, stop there, nothing further|beyond that, everything else stays|stay|remains|remain as it is|was, everything else stays|stay|remains|remain as is, everything else stays|stay|remains|remain the same|untouched|unchanged|alone, everything else untouched|unchanged|unaltered|alone, all else untouched|unchanged|unaltered'), { t: 'nothing-else' }],
  [w('focus|concentrate|focused on, stick to, focus only|solely|mainly|just|purely on, focus all the|your work|effort|attention|restoration on, focus the work|restoration on'), { t: 'focus-on' }],
  // ----- regions -----
  [rare('forehead|foreheads|ear|ears|earlobe|earlobes|jaw|jawline|chin|chins|cheek|eyebrows|brows|eyelashes|lashes|beard|beards|moustache|moustaches|mustache|teeth|complexion|complexions|subject|subjects|sitter|sitters'), { t: 'region', region: 'faces' }],
  [rare('foliage|leaves|bushes|hedge|hedges|lawn|grass|field|fields|meadow|forest|woods|mountains|mountain|ocean|sea|beach|sand|horizon|trees|tree|shrubs|bricks|brickwork|fence|railings|wall|house|houses|church|road|roads|path|pier|lake|river|yard|shop|window|windows|door|doorway|car|cars|boat|boats|ship|train|bridge|tower|steps|porch|veranda|farm|barn|shopfront|signage|marquee|tent|mill|mills|factory|hall|halls|harbour|harbor|quay|dock|docks|canal|pond|stream|waterfall|cliff|cliffs|rocks|hill|valley|park|playground|caravan|caravans|tram|lorry|truck|tractor|wagon|bicycle|bike|motorbike|horse|horses|piano|bookcase|bookshelf|shelves|sofa|settee|table|chair|chairs|fireplace|snowman|toys|cake|flowers|hedgerow|orchard|vineyard|station|platform|castle|ruins|monument|statue|fountain|hut|cottage|school|ward|wards|schoolhouse|mountainside|skyline|seafront|promenade|prom|lighthouse|lighthouses|allotment|allotments|bandstand|ceiling|ballroom|rooftops|roofs|roof|cornfield|cornfields|wheatfield|haystack|haystacks|terraces|goalposts|scoreboard|carousel|stalls|glacier|glaciers|hull|jetty|windmill|greenhouse|racecourse|clubhouse|campsite|paddock|stable|stables|marketplace|square|courtyard|garage|yard|quayside|dockside|skyscrapers|chimney|chimneys|steeple|spire|archway|arch|gate|gates|gateway|lamppost|streetlight|railway|tracks|locomotive|engine|aeroplane|plane|ferry|boats|yacht|canoe|snow|ice|waves|surf|dunes|cliffside|countryside, bus stop|shelter|station, bowling green, winding gear, market stalls, stained glass, stage curtains, flower bed|beds|arch, rose bed|beds, hay bales, beach huts|hut, paddy fields|field, font|chapel|vestry|altar|pulpit|pews|grandstand|headstone|headstones|gravestone|gravestones|tombstone|tombstones|grave|graves|cemetery|churchyard|graveyard|charabanc|clock|canteen|pavilion|farmhouse|crane|cranes|shipyard|shipyards|scooter|vespa|coach|omnibus|cart|carriage|limousine|limo|jeep|hangar|warehouse|pub|inn|hotel|cafe|restaurant|kitchen|dresser|mantelpiece|mirror|rug|carpet|lamp|vase|plaque|banner|banners|flag|flags|bunting|awning, wall clock, grand stand, morris minor, canal boat|barge, tea room|rooms, band stand'), { t: 'region', region: 'background', located: true }],
  [rare('bride|brides|groom|grooms|bridegroom|bridesmaid|bridesmaids|baby|babies|toddler|man|men|woman|women|boy|boys|girl|girls|lad|lads|lass|soldier|soldiers|sailor|sailors|nurse|nurses|grandma|grandpa|granny|grandad|grandmother|grandfather|nan|nana|gran|mum|mom|mother|dad|father|uncle|aunt|auntie|sister|sisters|brother|brothers|son|sons|daughter|daughters|wife|husband|twins|guests|swimmers|dancers|players|workers|miners|pupils|students|teenagers|parents|grandparents|grandchildren|cousins|siblings|adults|ladies|gentlemen|lady|gentleman|bloke|guy|guys|chap|fellow|vicar|priest|choir|cyclists|pickers|farmhands|stepfather|stepmother|fiance|fiancee|groomsmen|mourners|villagers|fishermen|sailors|officers|cadets|nuns|monks|kid|child|infant|newborn|grandson|granddaughter|nephew|niece|teacher|congregation|crew|folk|folks|family|singers|rowers|runners|climbers|hikers|skaters|bathers|musicians|farmer|farmers|team|classmates|friends|godparents|godmother|godfather|grandmama|grandpapa|granddad|grandaddy|papa|mama|bro|sis|hubby|missus|cousin|lads|lasses|schoolchildren|schoolboys|schoolgirls|scouts|guides|keeper|jockey|jockeys|newlyweds|regulars|crew|staff|dockers|choirboys|choirgirls|schoolteacher|miller|shopkeeper|lifeguard|lifeguards|skiers|boxer|boxers|twins|toddlers|infants|babies|couples|grandkids|groom, bridal|wedding party, great grandmother|grandfather|grandma|grandpa, cabin crew, land girls, dinner ladies, carnival queen, horse riders, band|bands|crowd|crowds|audience|spectators|onlookers|conductor|conductors|passenger|passengers|pageboy|pageboys|cricketers|picnickers|orchestra|quartet|driver|drivers|chauffeur|usher|ushers|chorus|troupe|patients|gang|bystanders|locals|tourists|holidaymakers|shoppers|revellers|marchers|parade|veterans|recruits|servicemen|airmen|policeman|policemen|postman|milkman|butcher|baker|blacksmith|apprentices|congregants|worshippers, bridal party, page boy|boys, best man, maid of honour, flower girl|girls, ring bearer'), { t: 'region', region: 'faces', located: true }],
  // Places and people of the twenty-first set's writers.
  [rare('fairground|funfair|tent|tents|letterbox|postbox|lido|tenement|tenements|steamer|stall|gasometer|gasholder|pagoda|pagodas|sidecar|palm|palms|organ, milk float, austin seven, paddle steamer, number plate, ferris wheel, fairground organ|ride|rides, palm tree|trees, rose bush|bushes, float|floats, van|vans|minivan|signpost|signposts|trophy|trophies|tank|tanks|lychgate|bonnet|blanket|carts, rolls royce, steam train|engine, bullock cart|carts, picnic blanket, ice cream van'), { t: 'region', region: 'background', located: true }],
  // People by what they do, and places and things, one at a time (set 23's words and their neighbours).
  [rare('class|classes|committee|committees|brigade|platoon|regiment|battalion|squad|squads|troop|troops|classmate|classmates|shipmate|shipmates|teammate|teammates|flatmate|flatmates|workmate|workmates|playmate|playmates|schoolmate|schoolmates|wallah|wallahs|pilot|pilots|mayor|mayors|mechanic|mechanics|hairdresser|goalkeeper|goalie|porter|wrestler|clown|clowns|typist|nun|monk|doctors|surgeon|dentist|lawyer|clerk|clerks|chef|chefs|waiter|waiters|waitress|maids|butler|gardener|guards|sentry|captain|colonel|admiral|lieutenant|cadet|navigator|steward|stewardess|ranger|warden|sheriff|cowboy|cowboys|rancher|shepherd|shepherds|miner|collier|fisherman|whaler|trapper|lumberjack|carpenter|joiner|plumber|bricklayer|decorator|tailor|weaver|jeweller|watchmaker|typesetter|reporter|journalist|singer|dancer|actor|actress|comedian|magician|juggler|acrobat|acrobats|ringmaster|athlete|athletes|golfer|cricketer|footballer|referee|umpire|rabbi|imam|bishop|pastor|deacon|cantor|student|professor|lecturer|nanny|governess|matron|king|queen|prince|princess|duke|duchess|earl|emperor|empress|sultan|villager|farmhand|milkmaid|ploughman|grocer|greengrocer|barber|constable|fireman|officer|trooper|gunner|sapper|graduate|graduates|mourner|newlywed|chaperone|neighbour|neighbours|visitor|visitors|hostess|stranger|strangers|skipper|crewman|deckhand|stoker|engineer|cabbie|rider|cyclist|swimmer|skater|skier|climber|hiker|surfer|diver|rower'), { t: 'region', region: 'faces', located: true }],
  [rare('biplane|biplanes|airship|balloon|velodrome|stadium|bentley|battleship|warship|submarine|signboard|hoarding|billboard|mural|ropes|machine|machinery|convent|abbey|cathedral|mosque|temple|synagogue|shrine|gazebo|conservatory|summerhouse|silo|dam|reservoir|viaduct|aqueduct|tunnel|breakwater|clocktower|belfry|dome|minaret|avenue|lane|alley|boulevard|plaza|piazza|bazaar|kiosk|booth|shelf|rickshaw|motorcar|automobile|sedan|sleigh|sledge|pram|wheelbarrow|plough|anvil|workshop|library|museum|theatre|cinema|podium|lectern|balcony|staircase|verandah|terrace|patio|obelisk|memorial|cenotaph|bunker|trench|fort|fortress|barracks|runway|airfield|airport|buoy|mast|sail|sails|rigging|deck|funnel|wharf|marina|slipway|gantry|scaffolding|pylon|telegraph|wires|poles|cadillac|chevrolet|chevy|buick|packard|volkswagen|citroen|lambretta|landrover|studebaker|oldsmobile|pontiac|peugeot|renault|trabant|skoda|volvo, land rover|rovers, range rover, model t, village|putting|college green'), { t: 'region', region: 'background', located: true }],
  [rare('harvesters|harvester|ferryman|ferrymen|midwife|midwives|workmen|workman|bowlers, drummer|drummers|trumpeter|trumpeters|sergeant|sergeants|corporal|headmistress|headmaster|curate|fishmonger|fishmongers|bandleader, wedding guests|guest|couple'), { t: 'region', region: 'faces', located: true }],
  [w('face|faces|facial|people|person|persons|peoples|eyes|eye|skin|smile|smiles|lips|mouth|nose|cheeks|expression|expressions|couple|kids|children|figures, skin tone|tones'), { t: 'region', region: 'faces' }],
  [w('background|backgrounds|backdrop|scenery|landscape|sky|skies|surroundings|clouds|buildings|building|room|furniture|wallpaper|walls|floor|curtains|garden|hills|street, hills and trees, the trees, the rest, rest of the photo|picture|image, everything|everywhere else, everything|all|area|areas around the people|faces|figures|family, everything|all|area|areas around them, around the people|faces|figures, behind the people|faces|figures, behind them, behind'), { t: 'region', region: 'background' }],
  [rare('identifiable, true likeness, real faces|features'), { t: 'identity' }],
  [w('identity|identities|likeness|likenesses|features|recognisable|faithful|authentic, facial features, true to life|them, who they|she|he are|is'), { t: 'identity' }],
 [w('look|looks|looking like themselves|herself|himself|them|her|him|grandma|grandpa|granny|grandad|grandmother|grandfather|nan|nana|mum|mom|mother|dad|father|aunt|uncle|auntie|themself, still look|looks like, look|looks the same, same person|people, resemble|resemblance, how they|she|he|anyone|everyone|people look|looks, their look|looks|appearance|expression|expressions, what he|she|they|mum|dad|mom look|looks like, recognise|recognize my own mother|father|mum|mom|dad|grandmother|grandfather|nan|grandma|grandad|him|her|them, stay dad|mum|mom|his|hers|nan|grandma|grandad face, face|faces must|should stay|remain his|hers|theirs, face|faces must|should stay|remain dad|mum|mom|nan|grandma|grandad|grandpa face, face|faces needs|has to stay|remain dad|mum|mom|nan|grandma|grandad|grandpa face, face|faces needs|has|have to stay|remain his|hers|theirs'), { t: 'lookalike', same: true }],
  // "pls dont airbrush my mum": refused, airbrushing a person is changing how they look.
  [rare('do not|never airbrush|airbrushing|beautify|glamorise|glamorize my|her|him|his|them|their|the people|face|faces|mum|mom|dad|nan|gran|grandma|grandpa|grandad|granny|mother|father, no airbrushing|beautifying'), { t: 'lookalike', same: true }],
  // "don't let the faces change", "make sure nobody's face gets changed".
  [rare('let the|their|his|her face|faces|features change|alter, let anyone|anybody|someone look different'), { t: 'lookalike', same: false }],
  [rare('nobody|noone|nobodys|noones face|faces gets|get changed|altered, no one face|faces gets|get changed|altered'), { t: 'lookalike', same: true }],
  [rare('sharpening|sharpness setting|level|slider at|to|on neutral|normal|default|zero|nil'), obj(NATURAL_SHARPNESS)],
  [rare('no face|facial|faces reconstruction|reconstructing|rebuilding|rebuild|regeneration, nothing invented|guessed, nothing made up, no guessing|guesswork, spitting image, dead ringer, unmistakably, unmistakably them|him|her, still know|recognise|recognize, countenance, physiognomy, who he|she was, who they were, part of him|her|them, her|his|their own face|faces, stay|stays|stayed hers|his|theirs, distinctive face|features|look'), { t: 'lookalike', same: true }],
  [rare('nip and tuck, dolling|doll up, look younger|prettier|handsomer|slimmer, younger or prettier, new nose|eyes|nose or new eyes'), { t: 'lookalike', same: false }],
  [rare('invent|invented|inventing|guess|guessed|guessing|approximate|approximated, best guess, invent|guess at the details|features, invent|guess a new face|faces, make up a new face|faces, beautify|beautified|beautifying|prettify|prettified|prettifying|prettifies|glamorise|glamorize|glamourise|glamorised|glamorized|idealise|idealize|idealised|reinvent|reinvented|reinventing, new face, face swap|swapping, hollywood version, make over, makeover'), { t: 'lookalike', same: false }],
  [w('no need to be exact, does|do not need to be exact, not fussed if the faces|they come out|look different|slightly different, rebuild|reconstruct|redraw|recreate|reimagine, does|do not have|need to be exact|identical, does|do not have|need to be an exact likeness, a new face|faces|look, new faces, a facelift, facelift|facelifts, someone off the telly|tv, different kids|children|people|person, like a film star|model, look|looks like someone|somebody else, look like a different person, look like strangers, look different, a different person, different face|faces, someone|somebody else, another person, into a stranger|strangers, a stranger'), { t: 'lookalike', same: false }],
  [rare('repaint|repainting|improve|improving|enhance|enhancing|perfect|redo|redoing|rework|reworking his|her|their|its face|faces|eyes|features|nose|mouth, whatever it takes|you need|you like|you want|is needed with his|her|their face|faces|eyes'), { t: 'lookalike', same: false }],
  [rare('redone|redo, glow up, glam up, carte blanche, generative fill, perfect match, do your|ur thing, artistic licence|license, free rein, a free hand, use your imagination, regenerate|regenerated|regenerating|generative, accuracy|exactness is not important, accuracy|exactness does not matter, do not fuss about accuracy, accuracy is not the point'), { t: 'free' }],
  [w('freely, feel free, take liberties, liberties, fine|okay|alright if, is|are fine|okay|alright if, do not mind if, free|allowed to, can|may change, it is fine|okay|alright if, as much as you like|want|wish|please, however you like|want|wish, as you see fit, whatever you like|want'), { t: 'free' }],
  [w('unchanged|intact|exactly|original, as they|it are|is|were|was, as they|it really are|is|were|was|looked, as is, as found, as scanned, as it came, natural looking, in place, as originally, the way it|they is|are|was|were'), { t: 'asis' }],
  [w('the same, exactly the same, just the same'), { t: 'asis', same: true }],
  [w('alone|untouched|unaltered|unedited, at all'), { t: 'untouched' }],
  [w('natural|naturally|realistic|real'), { t: 'natural' }],
  // ----- predicates after a noun -----
  [w('does|do|did not matter, doesnt|dont matter, matters not, is|are not important, is|are not an issue, is|are not a problem|concern, is|are unimportant, stay|stays|stayed|remain|remains|fine, can|should|must stay, has to stay, stay put, is|are fine|okay|good|nice|charming|lovely|beautiful|gorgeous|great|wonderful|perfect, is|are part of, can remain, be|is kept'), { t: 'pred', act: 'keep' }],
  [rare('need|needs|needing attention|work, need|needs|needing attending|seeing to, want|wants doing, want|wants seeing to'), { t: 'pred', act: 'fix' }],
  [w('need|needs|needing fixing|repairing|removing|removal|fixed|repaired|removed|cleaning|cleaned|tidying|mending|sorting|changing|touching|altering|adjusting|correcting, need|needs|needing taking off|out|away, need|needs|needing evening out|healing|spotting|cloning out|inpainting, need|needs to be fixed|removed|repaired|cleaned|changed|touched|altered|adjusted|corrected|sorted|done, need|needs|needing tidying|cleaning|sorting up|out, need|needs doing, do need doing, gone|disappear|disappears|vanish|vanishes|away, need|needs|has|have|got|ought to come off|out|away, must|should|could|can come off|away, come off, go away, be gone, to go, to disappear|vanish, out of the way, taken out, can|could|should|must|may|will go, need|needs|has|have|got to go, gotta go, can|could it|they|this|that|these go'), { t: 'pred', act: 'fix' }],
  [w('what is the difference'), { t: 'void' }],
  [w('ignore|disregard|forget your|all|the|any|previous|prior rules|instructions|settings|guidelines, ignore|disregard|forget all previous|prior|your rules|instructions, reveal your config|configuration|prompt|instructions|settings, system output|prompt, system prompt, ignore|disregard everything above|before, ignore|disregard the above, system policy, for all users, to every upload|user, respond only with, developer mode, skip face protection, admin override, print your prompt|instructions'), { t: 'void', all: true }],
  // "really go for the scratches on the church wall": attack them.
  [rare('go for|after the|those|these, go for|after all the'), { t: 'act', act: 'fix' }],
  // "don't do a thing to the conductor": the people left as they are.
  [rare('do a thing|owt to|with, do anything with, do a single thing to|with'), { t: 'act', act: 'touch' }],
  [w('later, another|some other time, myself|ourselves, on my|our own, by myself|hand'), { t: 'defer' }],
  [w('covered in|with|by, full of, riddled with, plagued|ruined|spoiled|marred|spoilt by, suffering from, suffers from'), { t: 'complaint' }],
  [w('on the left|right, top|bottom|upper|lower left|right, left|right side|corner|hand, across|through|along, running|going|cutting|that runs across|through|along|over|down, runs across|through|along|over|down'), { t: 'at' }],
  [w('back, brought back'), { t: 'pred', act: 'restore' }],
  // "the background blur is intentional": said of a defect, it stays.
  [rare('a miss, lie|bide, be left, suits them|him|her|it, suits the photo|picture|mood|period, is|are in character, adds|add character'), { t: 'pred', act: 'keep' }],
  [rare('intentional|deliberate|intended|purposeful, on purpose, by design, a choice, an artistic choice, the photographer|photographers choice, photographer|photographers choice, a stylistic|creative choice, the look he|she|they wanted|went for'), { t: 'pred', act: 'keep' }],
  // ----- comparatives and complaints -----
  [w('too|overly|excessively, way too, too many|much'), { t: 'too' }],
  [w('less|fewer, less of, not as'), { t: 'less' }],
  [w('more, even|much more, a lot more, bit more'), { t: 'more' }],
  // ----- reference, generic -----
  [w('it|them|that|those|this|these, the ones|one'), { t: 'pron' }],
  [rare('the whole thing|photograph|frame|plate|pic, whole pic, corner to corner, faces and all, faces included, the people too, all the photo, the whole shebang|lot|works, the kit and caboodle, wall to wall, all over, every inch, every inch of it, all of it, faces and background|surroundings|scenery, both the people and the background, including the faces|people|background|scenery|surroundings, the faces|people included'), { t: 'whole-photo' }],
  [w('whole|entire|full photo|picture|image|frame, everywhere, every part of the photo|picture|image, edge to edge, from edge to edge, it all, all of it, faces|people included'), { t: 'whole-photo' }],
  [w('photo|photos|picture|pictures|image|images|scan|scans|print|prints|photograph|photographs|pic|shot|snapshot, whole thing|photo|picture|image, the lot'), { t: 'photo' }],
  // "just a little passport photo", "a bit of a mess": the size of the photo or a turn of phrase, not how gently to work.
  [rare('little|small|tiny passport|photo|picture|print|snapshot|snap|photograph, a little|small|tiny passport|photo|picture|print|snapshot|snap|photograph, little passport photo|picture, a bit of a|an'), { t: 'photo' }],
  // "my little brother", "her little girl": a person's age, not how gently to work.
  [rare('little|baby|younger|big|older brother|brothers|bro|sister|sisters|sis|girl|girls|boy|boys|son|daughter|one|ones|grandson|granddaughter|nephew|niece|cousin|cousins|kid|kids|lad|lass|man|guy'), { t: 'region', region: 'faces', located: true }],
  [w('all|every|any|each, all the'), { t: 'all' }],
  [w('nothing|none'), { t: 'nothing' }],
  [w('anything|everything, all else'), { t: 'anything' }],
  [w('is|are|was|were|be|been|being|looks|look|looking|seems|seem|feels|feel|has|have|had|got, there is|are|was|were, i see|notice, it has, look|looks|looking like, seems|seem like, came|comes|turned|turns out'), { t: 'copula' }],
  // ----- boundaries -----
  [[',', 'and', 'plus', 'with', 'also', 'as well as', 'along|together with'], { t: 'soft-bound' }],
  [['or'], { t: 'or' }],
  // Politeness, not a request: "if it's not too much trouble".
  [w('if it is not too much trouble|bother|hassle, if not too much trouble|bother|hassle, not too much trouble|bother|hassle'), { t: 'hard-bound', sentence: false }],
  [[';', '.', '!', '?'], { t: 'hard-bound', sentence: true }],
  [[':'], { t: 'hard-bound', sentence: false }],
  // "Keep her face. Change of plan: reconstruct it.": the words of a correction change nothing themselves.
  [rare('change of plan|plans|heart, a change of plan|plans|heart, changed|change my|our mind|minds, i have changed my mind'), { t: 'hard-bound', sentence: false }],
  [w('but|while|whereas|though|although|however|then|afterwards|first|second|finally|yet|instead|otherwise|actually|so, and then, after that'), { t: 'hard-bound', sentence: false }],
  // Thanks and "cool" as a reply say nothing of the work: "thank you very much" is not a strong restoration, "ok
  // cool" not a cool tone.
  [rare('thank you very|so much, thanks|ta very|so much, thanks a lot|million|bunch|ton, many thanks, thank you kindly, much|very much appreciated, ok|okay|oh|yeah|sounds cool, cool cool, cool thanks|beans'), { t: 'hard-bound', sentence: true }],
];

const wordsOf = (phrases: Phrases): string[] => phrases.flatMap((p) => p.split(' ').flatMap((pos) => pos.split('|')));

/** Words only the thesaurus lists use: typo correction never turns a word into one of them ("bothered" must not become "battered"). */
export const RARE_WORDS: ReadonlySet<string> = (() => {
  const base = new Set(LEXICON.filter(([ph]) => !RARE_LISTS.has(ph)).flatMap(([ph]) => wordsOf(ph)));
  return new Set(LEXICON.filter(([ph]) => RARE_LISTS.has(ph)).flatMap(([ph]) => wordsOf(ph)).filter((x) => !base.has(x)));
})();

export interface LexEntry {
  words: string[][];
  unit: Unit;
}

/** The lexicon compiled for matching: entries indexed by the words their first position accepts, longest first. */
export function compileLexicon(entries: [Phrases, Unit][] = LEXICON): { byFirst: Map<string, LexEntry[]>; words: Set<string> } {
  const byFirst = new Map<string, LexEntry[]>();
  const words = new Set<string>();
  for (const [phrases, unit] of entries) {
    for (const phrase of phrases) {
      const pos = phrase.split(' ').filter(Boolean).map((p) => p.split('|'));
      for (const p of pos) for (const x of p) words.add(x);
      for (const first of pos[0]!) {
        const list = byFirst.get(first) ?? [];
        list.push({ words: pos, unit });
        byFirst.set(first, list);
      }
    }
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.words.length - a.words.length);
  return { byFirst, words };
}

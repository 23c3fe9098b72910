/**
 * Splits an instruction into its global part and its face part, so the
 * hierarchy of the pipeline can apply each where it belongs:
 *   "fix the scratches; keep the faces as they are"
 *     → global "fix the scratches", faces "keep the faces as they are".
 * Clauses are separated by sentence punctuation, semicolons and the joints
 * people use ("but", "and", "while", "then"); a clause that talks about faces
 * or people goes to the face part, everything else to the global part. Clauses
 * that say "only the faces" / "just the background" set the scope.
 */

export interface SplitInstruction {
  global: string;
  faces: string;
  /** Where restoration applies, when the words say so. */
  scope: 'all' | 'faces' | 'background';
  /** The face part asks to leave faces unchanged. */
  keepFaces: boolean;
  /** The face part asks to improve faces without changing who they are. */
  keepIdentity: boolean;
}

const FACE_ACTION = /\b(sharp\w*|fix\w*|restor\w*|clean\w*|enhanc\w*|improv\w*|repair\w*|clear\w*|deblur\w*|denois\w*|brighten\w*)\b/i;

const FACE_WORDS = /\b(faces?|face's|people|persons?|portraits?|eyes?|skin|smiles?|grandma|grandpa|grandmother|grandfather|mother|father|mum|mom|dad|child(ren)?|kids?|bab(y|ies)|identity|likeness|features|gesicht(er)?|visage)\b/i;
const ONLY_FACES = /\b(only|just|solely)\b[^.;,]*\b(faces?|people|portraits?)\b|\b(faces?|people)\b\s+only\b/i;
const ONLY_BACKGROUND = /\b(only|just|solely)\b[^.;,]*\b(background|scenery|surroundings|rest)\b|\bbackground\s+only\b|\b(leave|don'?t touch|do not touch|not)\b[^.;,]*\bfaces?\b[^.;,]*\b(alone|as they are|as is|untouched)\b/i;
const KEEP_FACES = /\b(don'?t|do not|never|without)\s+(change|alter|touch|modify|retouch)\w*\b[^.;]*\b(faces?|them|people)?|\b(keep|leave|preserve)\b[^.;,]*\b(faces?|people|them|likeness|identity)\b[^.;,]*\b(as (they|it) (are|is|were|was)|unchanged|untouched|alone|intact|the same|natural)\b|\bkeep\b[^.;,]*\b(identity|likeness)\b/i;

export function splitInstruction(text: string): SplitInstruction {
  const clean = text.replace(/\s+/g, ' ').trim();
  const clauses = clean
    .split(/\s*(?:[.;!?\n]+|,\s*(?:but|and|while|then)\b|\s(?:but|while|whereas)\s)\s*/i)
    .map((c) => c.trim())
    .filter(Boolean);
  const global: string[] = [];
  const faces: string[] = [];
  let scope: SplitInstruction['scope'] = 'all';
  let keepFaces = false;
  let keepIdentity = false;
  for (const clause of clauses) {
    if (ONLY_FACES.test(clause)) scope = 'faces';
    else if (ONLY_BACKGROUND.test(clause)) scope = 'background';
    if (FACE_WORDS.test(clause)) {
      faces.push(clause);
      if (KEEP_FACES.test(clause)) {
        if (FACE_ACTION.test(clause)) keepIdentity = true;
        else keepFaces = true;
      }
    } else global.push(clause);
  }
  if (scope === 'background') keepFaces = true;
  // "sharpen the faces; don't change them": the action and the caveat sit in different clauses.
  if (keepFaces && faces.some((c) => FACE_ACTION.test(c)) && scope !== 'background') {
    keepFaces = false;
    keepIdentity = true;
  }
  return { global: global.join('; '), faces: faces.join('; '), scope, keepFaces, keepIdentity };
}

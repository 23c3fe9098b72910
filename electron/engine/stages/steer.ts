/**
 * Stage 5, steer: puts the explicit operations behind the chosen restorers
 * (after the refiner, in generative mode), so every tile and face crop the
 * restore and faces stages run is followed by what the stated settings ask
 * for (steering/steer.ts). A restorer with nothing to steer is left as it is.
 */
import { steeredRestorer } from '../steering/steered-restorer.js';
import type { Understood } from './understand.js';

export function steer(chosen: Understood): Understood {
  const { global, face, steering } = chosen;
  const g = steeredRestorer(global, steering.photo, global.tone, 'photo');
  const f = face && steering.faces ? steeredRestorer(face, steering.faces, face.tone, 'face') : face;
  return { ...chosen, global: g, face: f };
}

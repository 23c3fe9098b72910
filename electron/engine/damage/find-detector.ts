/** The damage detector to use: the user's own when it is usable, else the shipped one (model-registry.ts). */
import type { RegisteredModel } from '../../node/model-registry.js';

export function findDamageDetector(models: RegisteredModel[]): RegisteredModel | null {
  const usable = models.filter((m) => m.ok && m.manifest?.task === 'damage-detector');
  return usable.find((m) => m.source === 'user') ?? usable[0] ?? null;
}

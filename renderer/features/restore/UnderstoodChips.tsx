/** How the instruction was understood: the semantic tokens the engine generated for a preview, as chips (e.g. "grain: keep"). */
import { understoodTokens } from './restore-settings.js';

export function UnderstoodChips({ tokens }: { tokens: readonly string[] }) {
  return (
    <p className="understood" data-testid="understood">
      Understood as:{' '}
      {understoodTokens(tokens).map((t) => (
        <span key={t} className="chip static">
          {t.replace(':', ': ')}
        </span>
      ))}
    </p>
  );
}

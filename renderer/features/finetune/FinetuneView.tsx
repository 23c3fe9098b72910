/** Fine-tuning: personalise the models on your own photos. The training workflow arrives with the fine-tuning issue. */
import { EmptyState } from '../../components/ui/Notice.js';

export function FinetuneView() {
  return (
    <EmptyState title="Personalise the restorer">
      <p>
        Teach Restora what the people in your photos look like and which results you prefer. Training runs on this
        computer; nothing leaves it. This tab is not available in this version yet.
      </p>
    </EmptyState>
  );
}

/**
 * Finding moved originals: library.relink looks through a folder (recursively)
 * for files whose content matches missing photos and points the catalog at them.
 * The folder is typed because browser mode has no folder picker with paths.
 */
import { useState } from 'react';
import { useJob } from '../../api/use-job.js';
import { Modal } from '../../components/ui/Modal.js';
import { ProgressBar } from '../../components/ui/ProgressBar.js';
import { ErrorNotice } from '../../components/ui/Notice.js';
import { FolderField } from '../../components/ui/FolderField.js';

export function RelinkDialog({ initialFolder = '', onClose }: { initialFolder?: string; onClose(): void }) {
  const relinking = useJob();
  const [folder, setFolder] = useState(initialFolder);
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = async () => {
    setError(null);
    setResult(null);
    try {
      const r = await relinking.run('library.relink', { folder: folder.trim() });
      setResult(`Found ${r.relinked} photo(s) again. ${r.stillMissing ? `${r.stillMissing} still missing.` : 'Nothing is missing now.'}`);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Modal title="Relink moved photos" onClose={onClose}>
      <p className="muted">Type or browse to the folder the originals were moved to. Restora looks inside it (and its subfolders) for files with the same content.</p>
      <form
        className="inline-name"
        onSubmit={(e) => {
          e.preventDefault();
          if (folder.trim()) void run();
        }}
      >
        <FolderField label="Folder to search" browseLabel="Browse" autoFocus value={folder} onChange={setFolder} placeholder="/media/backup/Pictures" />
        <button type="submit" disabled={!folder.trim() || !!relinking.jobId}>
          Relink
        </button>
      </form>
      {relinking.jobId && <ProgressBar progress={relinking.progress} label="Relink" />}
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
      {result && (
        <div className="banner info" role="status" data-testid="relink-result">
          {result}
        </div>
      )}
    </Modal>
  );
}

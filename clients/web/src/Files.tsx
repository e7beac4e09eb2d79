import { useEffect, useState } from 'react';
import type { WorkspaceFile } from '@orleans-agent/client';
import { useApi } from './ApiContext';
import { FilePreview } from './FilePreview';
import { formatBytes } from './format';

/** How long tool calls must pause before the list asks again: a burst of calls (or a long fast run) asks once. */
const settleMs = 1000;

/**
 * What the execution's tools wrote: each file with its size, a preview and a download. Asked again when a tool call
 * ends and when the run ends, so files appear while the agent writes them.
 */
export function Files({ executionId, toolCalls, ended }: { executionId: string; toolCalls: number; ended: boolean }) {
  const api = useApi();
  const [files, setFiles] = useState<WorkspaceFile[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [previewing, setPreviewing] = useState<WorkspaceFile | null>(null);

  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      api.files(executionId).then(
        answer => { if (current) { setFiles(answer.files); setError(null); } },
        (e: unknown) => { if (current) { setError(e instanceof Error ? e.message : String(e)); } });
    }, toolCalls === 0 && !ended ? 0 : settleMs);
    return () => { current = false; clearTimeout(timer); };
  }, [api, executionId, toolCalls, ended]);

  const download = async (file: WorkspaceFile) => {
    try {
      // A link with a stream token, not the bearer token: the browser saves it as the server names it.
      const link = document.createElement('a');
      link.href = await api.fileUrl(executionId, file.path, { download: true });
      link.click();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  if (!files?.length && !error) {
    return null;
  }
  return (
    <section className="card files" aria-label="Files" data-testid="files">
      <h2>Files</h2>
      {error && <p className="form-error" role="alert">{error}</p>}
      <ul className="file-list">
        {files?.map(file => (
          <li key={file.path} data-testid="file" data-path={file.path}>
            <span className="file-name mono" title={file.path}>{file.path}</span>
            <span className="muted file-size">{formatBytes(file.size)}</span>
            <button type="button" className="link" onClick={() => setPreviewing(file)} aria-label={`Preview ${file.path}`}>Preview</button>
            <button type="button" className="link" onClick={() => void download(file)} aria-label={`Download ${file.path}`}>Download</button>
          </li>
        ))}
      </ul>
      {previewing && (
        <FilePreview executionId={executionId} file={previewing} onDownload={() => void download(previewing)} onClose={() => setPreviewing(null)} />
      )}
    </section>
  );
}

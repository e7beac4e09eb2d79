import { useEffect, useRef, useState } from 'react';
import type { WorkspaceFile } from '@orleans-agent/client';
import { useApi } from './ApiContext';
import { formatBytes } from './format';
import { Markdown } from './Markdown';

type Shown =
  | { kind: 'loading' }
  | { kind: 'page'; url: string }
  | { kind: 'markdown' | 'text'; text: string }
  | { kind: 'none'; why: string }
  | { kind: 'error'; error: string };

/** Text shown inline; anything larger is better downloaded. */
const largestShown = 1024 * 1024;
const isHtml = (path: string) => /\.html?$/i.test(path);
const isMarkdown = (path: string) => /\.(md|markdown)$/i.test(path);
const isText = (type: string) => /^text\/|[/+](json|xml|javascript|yaml)$/.test(type.split(';')[0]);

/**
 * One file, in a modal dialog (Esc closes it, focus comes back where it was). A page renders in a frame with every
 * sandbox restriction (no script, no forms, an origin of its own), loaded by a URL with a stream token: the bearer
 * token never goes in a URL. Markdown is rendered as the thoughts are; other text is shown as written.
 */
export function FilePreview({ executionId, file, onDownload, onClose }: {
  executionId: string; file: WorkspaceFile; onDownload: () => void; onClose: () => void;
}) {
  const api = useApi();
  const dialog = useRef<HTMLDialogElement>(null);
  const [shown, setShown] = useState<Shown>({ kind: 'loading' });

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  useEffect(() => {
    let current = true;
    const show = (next: Shown) => current && setShown(next);
    const load = async () => {
      if (isHtml(file.path)) {
        return show({ kind: 'page', url: await api.fileUrl(executionId, file.path) });
      }
      if (file.size > largestShown) {
        return show({ kind: 'none', why: `${formatBytes(file.size)} is too large to show here.` });
      }
      const blob = await api.file(executionId, file.path);
      if (isMarkdown(file.path)) {
        return show({ kind: 'markdown', text: await blob.text() });
      }
      return show(isText(blob.type) ? { kind: 'text', text: await blob.text() } : { kind: 'none', why: `A ${blob.type || 'binary'} file has no preview.` });
    };
    load().catch((e: unknown) => show({ kind: 'error', error: e instanceof Error ? e.message : String(e) }));
    return () => { current = false; };
  }, [api, executionId, file]);

  return (
    <dialog ref={dialog} className="preview" aria-labelledby="preview-title" onClose={onClose} data-testid="file-preview">
      <header className="preview-head">
        <h2 id="preview-title" className="mono">{file.path}</h2>
        <button type="button" onClick={onDownload}>Download</button>
        <button type="button" onClick={() => dialog.current?.close()}>Close</button>
      </header>
      <div className="preview-body">
        {shown.kind === 'loading' && <p className="muted">Loading…</p>}
        {shown.kind === 'page' && <iframe title={`Preview of ${file.path}`} src={shown.url} sandbox="" referrerPolicy="no-referrer" />}
        {shown.kind === 'markdown' && <Markdown text={shown.text} testId="preview-markdown" />}
        {shown.kind === 'text' && <pre data-testid="preview-text">{shown.text}</pre>}
        {shown.kind === 'none' && <p className="muted">{shown.why} Download it to open it.</p>}
        {shown.kind === 'error' && <p className="form-error" role="alert">{shown.error}</p>}
      </div>
    </dialog>
  );
}

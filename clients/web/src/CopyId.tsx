import { useState } from 'react';
import { shortId } from './shortId';

/** An execution's distinguishing short id, and a button that copies the whole id. */
export function CopyId({ executionId }: { executionId: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(executionId);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      setCopied(false); // no clipboard (an insecure origin): the full id is in the title and the URL
    }
  };
  return (
    <span className="copy-id">
      <span className="mono" title={executionId} data-testid="short-id">…{shortId(executionId)}</span>
      <button type="button" className="icon" aria-label={`Copy execution id ${executionId}`} onClick={() => void copy()}>
        {copied ? 'Copied' : 'Copy'}
      </button>
    </span>
  );
}

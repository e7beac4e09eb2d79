import { useState } from 'react';
import type { ArtifactRef } from '@orleans-agent/client';
import { useApi } from './ApiContext';
import { formatBytes } from './format';

/**
 * Opens a value too large for its event in a new tab. Fetched with the session's bearer token (never put in a URL)
 * and shown from a blob: URL, so the link works without any credential of its own.
 */
export function ArtifactLink({ reference, what }: { reference: ArtifactRef; what: string }) {
  const api = useApi();
  const [error, setError] = useState<string | null>(null);
  const open = async () => {
    const tab = window.open('', '_blank'); // opened within the click, so no popup blocker stops it
    try {
      const blob = await api.artifact(reference.url);
      const url = URL.createObjectURL(blob);
      if (tab) {
        tab.location.href = url;
      }
      setTimeout(() => URL.revokeObjectURL(url), 60_000); // the tab has loaded it by then; the page keeps no copy
      setError(null);
    } catch (e) {
      tab?.close();
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <span className="artifact">
      <button type="button" className="link" data-testid="artifact-link" data-url={reference.url} onClick={() => void open()}>
        whole {what} ({formatBytes(reference.size)}) ↗
      </button>
      {error && <span className="tool-error" role="alert"> {error}</span>}
    </span>
  );
}

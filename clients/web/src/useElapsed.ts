import { useEffect, useState } from 'react';

/** Milliseconds since `since`, ticking every second while `running`; frozen at `until` once it ends. */
export function useElapsed(since: string | null, until: string | null, running: boolean): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) {
      return undefined;
    }
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  if (!since) {
    return null;
  }
  const end = until ? Date.parse(until) : now;
  return Math.max(0, end - Date.parse(since));
}

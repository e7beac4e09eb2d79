/**
 * What the page remembers in this tab: the signed-in user's bearer token (sessionStorage, never a URL) and the
 * execution being watched (in the URL, so a reload or a shared link resumes it, and in sessionStorage as a
 * fallback). The token dies with the tab; it is a development token, not a long-lived credential.
 */
export interface SignedIn { userId: string; token: string; expiresAt: string }

const userKey = 'orleans-agent.user';
const executionKey = 'orleans-agent.execution';
const executionParam = 'execution';

export function loadUser(): SignedIn | null {
  const raw = sessionStorage.getItem(userKey);
  if (!raw) {
    return null;
  }
  const user = JSON.parse(raw) as SignedIn;
  return Date.parse(user.expiresAt) > Date.now() ? user : null;
}

export function saveUser(user: SignedIn | null): void {
  if (user) {
    sessionStorage.setItem(userKey, JSON.stringify(user));
  } else {
    sessionStorage.removeItem(userKey);
    sessionStorage.removeItem(executionKey);
  }
}

export function loadExecutionId(): string | null {
  return new URLSearchParams(location.search).get(executionParam) ?? sessionStorage.getItem(executionKey);
}

export function saveExecutionId(executionId: string | null): void {
  const url = new URL(location.href);
  if (executionId) {
    url.searchParams.set(executionParam, executionId);
    sessionStorage.setItem(executionKey, executionId);
  } else {
    url.searchParams.delete(executionParam);
    sessionStorage.removeItem(executionKey);
  }
  history.replaceState(null, '', url);
}

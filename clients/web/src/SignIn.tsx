import { useState, type FormEvent } from 'react';
import type { AgentApi } from '@orleans-agent/client';
import type { SignedIn } from './session';

/** Development sign-in: a dev token for any user id (`POST /api/dev/token`, absent outside Development). */
export function SignIn({ api, onSignedIn }: { api: AgentApi; onSignedIn: (user: SignedIn) => void }) {
  const [userId, setUserId] = useState('alice');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { token, expiresAt } = await api.devToken(userId.trim());
      onSignedIn({ userId: userId.trim(), token, expiresAt });
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="signin">
      <form className="card signin-card" onSubmit={submit}>
        <h1>Sign in</h1>
        <p className="muted">Development sign-in: the API issues a token for any user id. Each user sees only their own executions.</p>
        <label htmlFor="user-id">User id</label>
        <input id="user-id" value={userId} onChange={e => setUserId(e.target.value)} autoComplete="username" required />
        {error && <p className="form-error" role="alert">{error}</p>}
        <button type="submit" className="primary" disabled={busy || !userId.trim()}>Sign in</button>
      </form>
    </main>
  );
}

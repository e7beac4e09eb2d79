import { describe, expect, it } from 'vitest';
import { AgentApi, AgentApiError } from '../src/core/agentApi';

describe('agent api: artifacts', () => {
  const url = `/api/agent/executions/e1/artifacts/${'a'.repeat(64)}`;

  it('fetches an artifact with the bearer token, never with a token in the URL', async () => {
    const seen: { url: string; authorization: string | undefined }[] = [];
    const api = new AgentApi({
      baseUrl: 'http://api.test',
      getToken: () => 'user-jwt',
      fetch: async (input, init) => {
        seen.push({ url: String(input), authorization: (init?.headers as Record<string, string>).Authorization });
        return new Response('{"content":"whole"}', { status: 200, headers: { 'Content-Type': 'application/json' } });
      },
    });

    const blob = await api.artifact(url);

    expect(await blob.text()).toBe('{"content":"whole"}');
    expect(seen).toEqual([{ url: `http://api.test${url}`, authorization: 'Bearer user-jwt' }]);
  });

  it('turns a problem answer into an error that says why', async () => {
    const api = new AgentApi({
      getToken: () => 'user-jwt',
      fetch: async () => new Response(JSON.stringify({ title: 'Artifact not found.', detail: 'expired with the log', status: 404 }), { status: 404 }),
    });

    const error = await api.artifact(url).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AgentApiError);
    expect(error).toMatchObject({ message: 'expired with the log', status: 404 });
  });
});

describe('agent api: files', () => {
  it('a file URL for a frame or a link carries a fresh stream token, never the bearer token; each path segment is encoded', async () => {
    const seen: { method: string; url: string; authorization: string | undefined }[] = [];
    const api = new AgentApi({
      baseUrl: 'http://api.test',
      getToken: () => 'user-jwt',
      fetch: async (input, init) => {
        seen.push({ method: init?.method ?? 'GET', url: String(input), authorization: (init?.headers as Record<string, string>).Authorization });
        return new Response(JSON.stringify({ token: 'stream-jwt', expiresAt: '2026-12-03T00:05:00Z', streamUrl: '/api/agent/stream/e1' }), { status: 200 });
      },
    });

    const url = await api.fileUrl('e1', 'site/my page.html', { download: true });

    expect(url).toBe('http://api.test/api/agent/executions/e1/files/site/my%20page.html?access_token=stream-jwt&download=true');
    expect(url).not.toContain('user-jwt');
    expect(seen).toEqual([{ method: 'POST', url: 'http://api.test/api/agent/executions/e1/stream-token', authorization: 'Bearer user-jwt' }]);
  });
});

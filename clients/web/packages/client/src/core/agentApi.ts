import { isExecutionSnapshot, type ExecutionSnapshot, type Schemas } from './events.js';

/** An RFC 9457 problem answered by the API, or a network failure (status 0). */
export class AgentApiError extends Error {
  constructor(message: string, readonly status: number, readonly title?: string) {
    super(message);
    this.name = 'AgentApiError';
  }

  /** Worth retrying: the network, a moving silo (503) or a limit (429). Anything else will answer the same again. */
  get transient(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

export type StreamToken = Schemas['StreamTokenResponse'];
export type ExecutionSummary = Schemas['ExecutionSummary'];
export type ExecutionList = Schemas['ExecutionList'];
export type ExecutionFiles = Schemas['FileList'];
export type WorkspaceFile = Schemas['WorkspaceFile'];

export interface AgentApiOptions {
  /** Origin and path prefix of the API; '' for the page's own origin. */
  baseUrl?: string;
  /** The bearer token of the user (a JWT); it goes in the Authorization header, never in a URL. */
  getToken: () => string | null;
  fetch?: typeof fetch;
}

/** The HTTP side of the API (everything but the stream itself), typed. */
export class AgentApi {
  readonly baseUrl: string;
  private readonly getToken: () => string | null;
  private readonly fetchImpl: typeof fetch;

  constructor(options: AgentApiOptions) {
    this.baseUrl = options.baseUrl ?? '';
    this.getToken = options.getToken;
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** Development only: a token for any user id (`POST /api/dev/token`). */
  devToken(userId: string): Promise<Schemas['DevTokenResponse']> {
    return this.send('POST', '/api/dev/token', { userId }, false);
  }

  execute(task: string, context?: Record<string, unknown>): Promise<Schemas['ExecuteResponse']> {
    return this.send('POST', '/api/agent/execute', context === undefined ? { task } : { task, context });
  }

  cancel(executionId: string, reason?: string): Promise<Schemas['CancelResponse']> {
    return this.send('POST', `/api/agent/executions/${encodeURIComponent(executionId)}/cancel`, reason ? { reason } : {});
  }

  async snapshot(executionId: string): Promise<ExecutionSnapshot> {
    const snapshot = await this.send<unknown>('GET', `/api/agent/executions/${encodeURIComponent(executionId)}`);
    if (!isExecutionSnapshot(snapshot)) {
      throw new AgentApiError('The snapshot does not match the contract.', 0);
    }
    return snapshot;
  }

  /** A value too large for its event, whole (`paramsRef.url` / `resultRef.url` of a tool event), with the same token. */
  async artifact(url: string): Promise<Blob> {
    return await (await this.request('GET', url)).blob();
  }

  /** The caller's executions, newest first; `cursor` is the previous page's `nextCursor`. */
  list(limit = 20, cursor?: string): Promise<ExecutionList> {
    const query = new URLSearchParams({ limit: String(limit) });
    if (cursor) {
      query.set('cursor', cursor);
    }
    return this.send('GET', `/api/agent/executions?${query.toString()}`);
  }

  /** The files the execution's tools wrote. */
  files(executionId: string): Promise<ExecutionFiles> {
    return this.send('GET', this.filesPath(executionId));
  }

  /** One file the execution wrote, fetched with the bearer token (its `type` is the server's, from the extension). */
  file(executionId: string, path: string): Promise<Blob> {
    return this.artifact(this.filesPath(executionId, path));
  }

  /**
   * A URL that opens one file without the bearer token, for what a browser loads by itself (a frame, a download link):
   * it carries a fresh stream token, which opens this execution's stream and files only, for minutes.
   */
  async fileUrl(executionId: string, path: string, options: { download?: boolean } = {}): Promise<string> {
    const { token } = await this.streamToken(executionId);
    const query = new URLSearchParams({ access_token: token });
    if (options.download) {
      query.set('download', 'true');
    }
    return `${this.baseUrl}${this.filesPath(executionId, path)}?${query.toString()}`;
  }

  /** A short-lived token that opens this execution's stream and files only; the one credential allowed in a URL. */
  streamToken(executionId: string): Promise<StreamToken> {
    return this.send('POST', `/api/agent/executions/${encodeURIComponent(executionId)}/stream-token`);
  }

  /**
   * The stream URL with a stream token and a resume cursor, for `EventSource`; `types` asks the server for those event
   * types only (`?types=`).
   */
  streamUrl(executionId: string, streamToken: string, lastEventId: number, deltas = false, types?: readonly string[]): string {
    const query = new URLSearchParams({ access_token: streamToken });
    if (lastEventId > 0) {
      query.set('lastEventId', String(lastEventId));
    }
    if (deltas) {
      query.set('deltas', 'true');
    }
    if (types && types.length > 0) {
      query.set('types', types.join(','));
    }
    return `${this.baseUrl}/api/agent/stream/${encodeURIComponent(executionId)}?${query.toString()}`;
  }

  private filesPath(executionId: string, path?: string): string {
    const files = `/api/agent/executions/${encodeURIComponent(executionId)}/files`;
    return path === undefined ? files : `${files}/${path.split('/').map(encodeURIComponent).join('/')}`;
  }

  private async send<T>(method: string, path: string, body?: unknown, authorize = true): Promise<T> {
    const response = await this.request(method, path, body, authorize);
    return (response.status === 204 ? null : await response.json().catch(() => null)) as T;
  }

  /** The response of a call that succeeded; an `AgentApiError` with the problem's detail otherwise. */
  private async request(method: string, path: string, body?: unknown, authorize = true): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const token = authorize ? this.getToken() : null;
    if (authorize && !token) {
      throw new AgentApiError('Sign in first.', 401);
    }
    if (token) {
      headers.Authorization = `Bearer ${token}`;
    }
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new AgentApiError(`The API cannot be reached (${String(error)}).`, 0);
    }
    if (!response.ok) {
      const problem = (await response.json().catch(() => null) ?? {}) as { detail?: string; title?: string };
      throw new AgentApiError(problem.detail ?? problem.title ?? `HTTP ${response.status}`, response.status, problem.title);
    }
    return response;
  }
}

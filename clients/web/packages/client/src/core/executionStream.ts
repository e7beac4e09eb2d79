import { AgentApiError, type AgentApi } from './agentApi.js';
import type { ConnectionStatus } from './connectionStatus.js';
import { eventTypes, isStreamReset, isTerminalEvent, parseAgentEvent, terminalEventTypes, type AgentEvent, type AgentEventType, type StreamReset } from './events.js';
import { isTextDelta, isTextReset, textDeltaType, textResetType, type TextDelta } from './liveText.js';
import { defaultReconnectPolicy, reconnectDelay, type ReconnectPolicy } from './reconnectPolicy.js';
import { isTerminalStatus } from './snapshotFold.js';

/** The part of `EventSource` this client uses, so tests can drive it without a server. */
export interface EventSourceLike {
  onopen: ((this: never, ev: Event) => unknown) | null;
  onerror: ((this: never, ev: Event) => unknown) | null;
  /** 2 (CLOSED) after an error means the server answered without a stream (e.g. 204 at the end of the log). */
  readonly readyState?: number;
  addEventListener(type: string, listener: (ev: MessageEvent<string>) => void): void;
  close(): void;
}

export interface ExecutionStreamCallbacks {
  /** Each event exactly once, in sequence order, with no gap (with `types`: every event of those types, in order). */
  onEvent(event: AgentEvent): void;
  /** The server could not serve the cursor and sent its snapshot instead; the stream goes on after it. */
  onReset(reset: StreamReset): void;
  onStatus(status: ConnectionStatus): void;
  /** A piece of a text being written (with `deltas`): place it at its offset. */
  onText?(delta: TextDelta): void;
  /** A text being written was withdrawn (its run was cut by a failure): forget it. */
  onTextReset?(textId: string): void;
  /** A new connection opened: drop the texts being written; each still being written comes again whole. */
  onTextsRestart?(): void;
}

export interface ExecutionStreamOptions {
  /** Resume after this sequence (0: from the start). */
  afterSequence?: number;
  /** Ask for the texts as they are written (`?deltas=true`); on unless turned off. */
  deltas?: boolean;
  /**
   * Only these event types (the server's `?types=` filter), and always the terminal ones, so the stream still ends
   * with its execution. A filtered stream skips sequences by design: the client then checks order, not gaps.
   */
  types?: readonly AgentEventType[];
  policy?: ReconnectPolicy;
  createEventSource?: (url: string) => EventSourceLike;
  random?: () => number;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

const streamResetType = 'stream:reset';

function parseOrNull(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return null;
  }
}
const closedState = 2;

/**
 * One execution's event stream over the native `EventSource`, which cannot send headers: every connection gets a
 * fresh stream token (`?access_token=`, the only credential allowed in a URL) and resumes with `?lastEventId=`
 * set to the last sequence delivered. The browser's own reconnect is not used, because it would reuse the first
 * URL (an expired token, a stale cursor) and retry forever; on any error the source is closed and reopened by
 * this class with backoff, so the attempts and their count are visible.
 *
 * Exactly-once delivery does not rest on the server alone: a sequence at or below the last delivered one is
 * dropped, and a gap (which the server promises never to send) makes the client reconnect from its last sequence
 * instead of delivering out of order. A filtered stream (`types`) skips sequences by design, so there only order is
 * checked.
 */
export class ExecutionStream {
  private source: EventSourceLike | null = null;
  private timer: unknown = null;
  private attempt = 0;
  private stopped = false;
  private last: number;
  private readonly deltas: boolean;
  private readonly types: readonly AgentEventType[] | undefined;
  private readonly policy: ReconnectPolicy;
  private readonly createEventSource: (url: string) => EventSourceLike;
  private readonly random: () => number;
  private readonly setTimer: (run: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;

  constructor(
    private readonly api: AgentApi,
    readonly executionId: string,
    private readonly callbacks: ExecutionStreamCallbacks,
    options: ExecutionStreamOptions = {},
  ) {
    this.last = options.afterSequence ?? 0;
    this.deltas = options.deltas ?? true;
    this.types = options.types && options.types.length > 0 ? [...new Set([...options.types, ...terminalEventTypes])] : undefined;
    this.policy = options.policy ?? defaultReconnectPolicy;
    this.createEventSource = options.createEventSource ?? (url => new EventSource(url) as unknown as EventSourceLike);
    this.random = options.random ?? Math.random;
    this.setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
    this.clearTimer = options.clearTimer ?? (timer => clearTimeout(timer as ReturnType<typeof setTimeout>));
  }

  /** The last sequence delivered: where the next connection resumes. */
  get lastSequence(): number {
    return this.last;
  }

  start(): void {
    this.callbacks.onStatus({ state: 'connecting' });
    void this.connect();
  }

  /** Stops for good (unsubscribe); no callback fires afterwards. */
  close(): void {
    this.stop();
  }

  private async connect(): Promise<void> {
    this.timer = null;
    let token: string;
    try {
      token = (await this.api.streamToken(this.executionId)).token;
    } catch (error) {
      this.requestFailed(error);
      return;
    }
    if (this.stopped) {
      return;
    }
    const source = this.createEventSource(this.api.streamUrl(this.executionId, token, this.last, this.deltas, this.types));
    this.source = source;
    source.onopen = () => {
      if (this.source === source) {
        this.attempt = 0;
        this.callbacks.onTextsRestart?.();
        this.callbacks.onStatus({ state: 'open' });
      }
    };
    source.onerror = () => {
      if (this.source !== source) {
        return;
      }
      if (source.readyState === closedState) {
        void this.checkEnded();
      } else {
        this.retry('the connection was lost');
      }
    };
    for (const type of this.types ?? eventTypes) {
      source.addEventListener(type, message => this.source === source && this.receive(message.data));
    }
    source.addEventListener(streamResetType, message => this.source === source && this.receiveReset(message.data));
    if (this.deltas) {
      source.addEventListener(textDeltaType, message => this.source === source && this.receiveText(message.data));
      source.addEventListener(textResetType, message => this.source === source && this.receiveTextReset(message.data));
    }
  }

  /** Live text is a nicety: a malformed piece is ignored rather than ending a stream whose events are sound. */
  private receiveText(json: string): void {
    const delta = parseOrNull(json);
    if (isTextDelta(delta)) {
      this.callbacks.onText?.(delta);
    }
  }

  private receiveTextReset(json: string): void {
    const reset = parseOrNull(json);
    if (isTextReset(reset)) {
      this.callbacks.onTextReset?.(reset.textId);
    }
  }

  private receive(json: string): void {
    let event: AgentEvent;
    try {
      event = parseAgentEvent(json);
    } catch (error) {
      this.fail((error as Error).message);
      return;
    }
    if (event.executionId !== this.executionId || event.sequence <= this.last) {
      return; // a duplicate: already delivered before a reconnect
    }
    if (this.types === undefined && event.sequence !== this.last + 1) {
      this.retry(`sequence ${this.last + 1} was skipped`);
      return;
    }
    this.last = event.sequence;
    this.callbacks.onEvent(event);
    if (isTerminalEvent(event)) {
      this.end();
    }
  }

  private receiveReset(json: string): void {
    const reset: unknown = JSON.parse(json);
    if (!isStreamReset(reset)) {
      this.fail('The stream sent a malformed stream:reset.');
      return;
    }
    this.last = reset.snapshot.lastSequence;
    this.callbacks.onReset(reset);
    if (isTerminalStatus(reset.snapshot.status)) {
      this.end();
    }
  }

  /**
   * The server answered without a stream: a 204 when the cursor is already the terminal event (so the browser stops
   * reconnecting), or a refusal. The snapshot tells which: nothing more to come ends the stream, anything else retries.
   */
  private async checkEnded(): Promise<void> {
    this.dropSource();
    let snapshot;
    try {
      snapshot = await this.api.snapshot(this.executionId);
    } catch (error) {
      this.requestFailed(error);
      return;
    }
    if (this.stopped) {
      return;
    }
    if (isTerminalStatus(snapshot.status) && snapshot.lastSequence <= this.last) {
      this.end();
    } else {
      this.retry('the server answered without a stream');
    }
  }

  /** A request of the API failed: a refusal (not found, forbidden) ends the stream, anything else is retried. */
  private requestFailed(error: unknown): void {
    if (this.stopped) {
      return;
    }
    if (error instanceof AgentApiError && !error.transient) {
      this.fail(error.message);
    } else {
      this.retry(error instanceof Error ? error.message : String(error));
    }
  }

  private retry(cause: string): void {
    this.dropSource();
    if (this.stopped) {
      return;
    }
    this.attempt += 1;
    const delay = reconnectDelay(this.policy, this.attempt, this.random);
    if (delay === null) {
      this.fail(`Gave up after ${this.policy.maxAttempts} attempts: ${cause}.`);
      return;
    }
    this.callbacks.onStatus({ state: 'reconnecting', attempt: this.attempt, maxAttempts: this.policy.maxAttempts, retryInMs: delay, cause });
    this.timer = this.setTimer(() => void this.connect(), delay);
  }

  private end(): void {
    this.stop();
    this.callbacks.onStatus({ state: 'closed' });
  }

  private fail(error: string): void {
    this.stop();
    this.callbacks.onStatus({ state: 'failed', error });
  }

  private stop(): void {
    this.stopped = true;
    this.dropSource();
    if (this.timer !== null) {
      this.clearTimer(this.timer);
      this.timer = null;
    }
  }

  private dropSource(): void {
    this.source?.close();
    this.source = null;
  }
}

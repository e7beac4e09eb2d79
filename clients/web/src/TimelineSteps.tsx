import { memo } from 'react';
import type { ThinkingStep, ToolCall } from '@orleans-agent/client';
import { ArtifactLink } from './ArtifactLink';
import { formatDuration, formatTime, previewJson } from './format';
import { Markdown } from './Markdown';

// Rows are memoized: a step's object changes only when the step does, so a new event renders one row, not all.
export const ThinkingRow = memo(function ThinkingRow({ step }: { step: ThinkingStep }) {
  return (
    <li className="step thinking" data-testid="thinking" data-seq={step.sequence} data-iteration={step.iteration}>
      <span className="step-icon icon-thinking" aria-hidden />
      <div className="step-body">
        <div className="step-head">
          <span className="step-title">Thinking <span className="muted">#{step.iteration}</span></span>
          <time className="step-time">{formatTime(step.timestamp)}</time>
        </div>
        <Markdown className="thought" text={step.thought} />
      </div>
    </li>
  );
});

/** A thought being written (live text): it grows until its `thinking` event replaces it. */
export function LiveThoughtRow({ iteration, text }: { iteration: number; text: string }) {
  return (
    <li className="step thinking thinking-live" data-testid="thinking-live" data-iteration={iteration} aria-live="off">
      <span className="step-icon icon-thinking" aria-hidden />
      <div className="step-body">
        <div className="step-head">
          <span className="step-title">Thinking <span className="muted">#{iteration}</span></span>
        </div>
        <p className="thought writing">{text}</p>
      </div>
    </li>
  );
}

/** A tool call: name and arguments at once; the duration slot is reserved while it runs, so nothing moves. */
export const ToolCallRow = memo(function ToolCallRow({ call }: { call: ToolCall }) {
  const state = call.completedSequence === null ? 'running' : call.error ? 'error' : 'ok';
  return (
    <li className={`step tool tool-${state}`} data-testid="tool-call" data-seq={call.sequence} data-call-id={call.callId} data-state={state}>
      <span className="step-icon icon-tool" aria-hidden />
      <div className="step-body">
        <div className="step-head">
          <span className="step-title"><code>{call.toolName}</code></span>
          <span className="duration" data-testid="duration">
            {call.durationMs === null ? <span className="spinner" aria-label="running" /> : formatDuration(call.durationMs)}
          </span>
          <time className="step-time">{formatTime(call.timestamp)}</time>
        </div>
        <p className="params">{previewJson(call.params)}</p>
        {call.paramsRef && <ArtifactLink reference={call.paramsRef} what="params" />}
        {call.error && <p className="tool-error">{call.error}</p>}
        {state === 'ok' && call.result !== null && (
          <details className="result">
            <summary>Result: {previewJson(call.result, 80)}</summary>
            <pre>{JSON.stringify(call.result, null, 2)}</pre>
            {call.resultRef && <ArtifactLink reference={call.resultRef} what="result" />}
          </details>
        )}
      </div>
    </li>
  );
});

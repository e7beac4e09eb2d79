import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyEvent, applyText, applyTextReset, emptyView, restartTexts, type ExecutionView } from '../src/core/executionView';
import { isTextDelta, isTextReset, type TextDelta } from '../src/core/liveText';
import { completedRun, executionId } from './fakes';

const run = completedRun();
const delta = (textId: string, offset: number, text: string): TextDelta => ({ textId, offset, text });
const texts = (...deltas: TextDelta[]) => deltas.reduce(applyText, run.slice(0, 4).reduce(applyEvent, emptyView(executionId)));

describe('live text in the execution view', () => {
  it('places each delta at its offset: an offset-0 delta replaces the text, nothing is doubled', () => {
    const v = texts(delta('thinking:2', 0, 'Look'), delta('thinking:2', 4, ' ar'), delta('thinking:2', 0, 'Look arou'), delta('thinking:2', 9, 'nd'));
    expect(v.texts).toEqual({ 'thinking:2': 'Look around' });
    expect(applyText(v, delta('thinking:2', 20, 'hole')).texts).toEqual({ 'thinking:2': 'Look around' });
  });

  it('the thinking event replaces its text; a terminal event ends every text', () => {
    let v: ExecutionView = texts(delta('thinking:2', 0, 'Look ar'), delta('thinking:3', 0, 'next'), delta('result', 0, 'Do'));
    v = applyEvent(v, run[4]); // thinking #2
    expect(v.texts).toEqual({ 'thinking:3': 'next', result: 'Do' });
    v = run.slice(5).reduce(applyEvent, v);
    expect(v.texts).toEqual({});
    expect(applyText(v, delta('result', 2, 'ne')).texts).toEqual({}); // after the end: nothing more is shown
  });

  it('a reset withdraws one text; a new connection drops them all', () => {
    const v = texts(delta('thinking:2', 0, 'cut'), delta('result', 0, 'kept'));
    expect(applyTextReset(v, 'thinking:2').texts).toEqual({ result: 'kept' });
    expect(restartTexts(v).texts).toEqual({});
  });
});

describe('the live text contract of docs/events.md', () => {
  const contract = readFileSync(new URL('../../../../../docs/events.md', import.meta.url), 'utf8');
  const examples = [...contract.matchAll(/```json live\n([\s\S]*?)```/g)].map(m => JSON.parse(m[1]) as unknown);

  it('accepts the documented text:delta and text:reset, and refuses other shapes', () => {
    expect(examples).toHaveLength(2);
    expect(isTextDelta(examples[0])).toBe(true);
    expect(isTextReset(examples[1])).toBe(true);
    expect(isTextDelta({ textId: 't', offset: -1, text: 'x' })).toBe(false);
    expect(isTextDelta({ textId: 't', offset: 0, text: 'x', extra: 1 })).toBe(false);
    expect(isTextReset({ textId: 1 })).toBe(false);
  });
});

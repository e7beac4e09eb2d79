import type { AgentEvent, Schemas } from './events.js';

/**
 * Live text (docs/events.md, "Live text"): the model's thoughts and final answer as they are written, sent with
 * `?deltas=true` as `text:delta` frames that carry no id and are in no log.
 */

/** A piece of a text being written: `text` goes at `offset` (UTF-16 code units) of the text `textId`. */
export type TextDelta = Schemas['TextDelta'];

/** Withdraws a text: the run writing it was cut by a failure; the resumed run writes its own from offset 0. */
export type TextReset = Schemas['TextReset'];

/** The texts being written, by id (`thinking:{iteration}` or `result`). */
export type LiveTexts = Readonly<Record<string, string>>;

export const textDeltaType = 'text:delta';
export const textResetType = 'text:reset';
export const resultTextId = 'result';
export const thinkingTextId = (iteration: number): string => `thinking:${iteration}`;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const isTextDelta = (value: unknown): value is TextDelta =>
  isObject(value) && Object.keys(value).length === 3 && typeof value.textId === 'string'
  && Number.isInteger(value.offset) && (value.offset as number) >= 0 && typeof value.text === 'string';

export const isTextReset = (value: unknown): value is TextReset =>
  isObject(value) && Object.keys(value).length === 1 && typeof value.textId === 'string';

/** Places a delta: the first `offset` characters of the text so far, then the delta's text. */
export function applyDelta(texts: LiveTexts, delta: TextDelta): LiveTexts {
  const current = texts[delta.textId] ?? '';
  if (delta.offset > current.length) {
    return texts; // never sent by the server within a connection; placing it would leave a hole
  }
  return { ...texts, [delta.textId]: current.slice(0, delta.offset) + delta.text };
}

export function withdraw(texts: LiveTexts, textId: string): LiveTexts {
  if (!(textId in texts)) {
    return texts;
  }
  const { [textId]: _withdrawn, ...rest } = texts;
  return rest;
}

/** The durable event replaces the text it holds; a terminal event ends every text. */
export function completeTexts(texts: LiveTexts, event: AgentEvent, terminal: boolean): LiveTexts {
  if (terminal) {
    return Object.keys(texts).length === 0 ? texts : {};
  }
  if (event.type === 'thinking') {
    return withdraw(texts, thinkingTextId(event.data.iteration));
  }
  return texts;
}

export const noTexts: LiveTexts = Object.freeze({});

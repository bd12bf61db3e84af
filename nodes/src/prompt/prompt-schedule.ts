/**
 * Prompt schedules: text that changes over a shot, written as
 * `0s: a family of dinosaurs in Paris | 3s: mammoths instead of dinosaurs`.
 *
 * Entries are separated by `|` or new lines; each is `TIME: text`, where TIME
 * is seconds (`3s`, `3`, `2.5s`) or minutes and seconds (`1:30`, `1:02.5`).
 * Only the first colon after the time separates it from the text, so the text
 * may hold colons of its own.
 */
import type { PromptKey, PromptValue } from '../sdk/values.ts';

export type PromptScheduleParse = { keys: PromptKey[] } | { errors: string[] };

export interface PromptBlend {
  from: string;
  to: string;
  /** 0 shows `from` only, 1 `to` only. */
  mix: number;
}

const TIME_HINT = 'write seconds like 3s or 1:30';
const SECONDS = /^(\d+(?:\.\d+)?|\.\d+)\s*s?$/i;
const MINUTES_SECONDS = /^(\d+):(\d+(?:\.\d+)?)$/;
/** An entry that starts with mm:ss, so the time's own colon is not taken for the separator. */
const LEADING_MINUTES_SECONDS = /^(-?\d+:\d+(?:\.\d+)?)\s*(?::([\s\S]*))?$/;
const QUOTE_LIMIT = 40;

/** Parses a whole schedule, reporting every broken entry at once. A blank schedule has no keys. */
export function parsePromptSchedule(source: string): PromptScheduleParse {
  const entries = source
    .split(/[|\r\n]+/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const keys: PromptKey[] = [];
  const errors: string[] = [];
  let previous: { label: string; at: number } | undefined;
  entries.forEach((entry, index) => {
    const label = `entry ${index + 1}`;
    const name = `${label} (${quote(entry)})`;
    const parsed = parseEntry(entry);
    if ('error' in parsed) {
      errors.push(`${name}: ${parsed.error}`);
      return;
    }
    if (previous && parsed.at <= previous.at) {
      errors.push(
        `${name}: ${formatSeconds(parsed.at)} is not after ${previous.label} at ${formatSeconds(previous.at)}; ` +
          'times must go up, each later than the one before',
      );
    }
    previous = { label, at: parsed.at };
    keys.push(parsed);
  });
  return errors.length > 0 ? { errors } : { keys };
}

/**
 * Which two texts a frame at `seconds` blends between, and how far.
 *
 * Each key's text is fully reached at its time and blends linearly into the
 * next key's; the last key holds to the end. When the schedule starts after
 * 0s, `text` acts as the key at 0s, so the shot opens on it and blends into
 * the first key (or, when `text` is empty, the first key holds from 0s).
 * Without a schedule the prompt is `text` throughout.
 */
export function promptAt(value: PromptValue, seconds: number): PromptBlend {
  if (!Number.isFinite(seconds)) throw new RangeError(`A prompt's time must be a number of seconds, not ${seconds}.`);
  const opening = value.text !== '' && (value.schedule[0]?.at ?? 0) > 0 ? [{ at: 0, text: value.text }] : [];
  const keys = [...opening, ...value.schedule];
  const first = keys[0];
  if (!first) return hold(value.text);
  if (seconds < first.at) return hold(first.text);
  const nextIndex = keys.findIndex((key) => key.at > seconds);
  if (nextIndex === -1) return hold(keys[keys.length - 1]!.text);
  const from = keys[nextIndex - 1]!;
  const to = keys[nextIndex]!;
  return { from: from.text, to: to.text, mix: (seconds - from.at) / (to.at - from.at) };
}

function hold(text: string): PromptBlend {
  return { from: text, to: text, mix: 0 };
}

function parseEntry(entry: string): PromptKey | { error: string } {
  const leading = LEADING_MINUTES_SECONDS.exec(entry);
  const [timeText, rest] = leading ? [leading[1]!, leading[2]] : splitAtColon(entry);
  if (rest === undefined) {
    return leading
      ? { error: `has a time but no text; add the text after a colon, like "${timeText}: a quiet street"` }
      : { error: `has no time; start it with a time and a colon, like "3s: ${entry}"` };
  }
  if (timeText === '') return { error: `has nothing before the colon; put the time there and ${TIME_HINT}` };
  const at = parseTime(timeText);
  if (typeof at === 'string') return { error: at };
  const text = rest.trim();
  if (text === '') return { error: `has no text after ${formatSeconds(at)}; write what the shot shows from then on` };
  return { at, text };
}

function splitAtColon(entry: string): [string, string | undefined] {
  const colon = entry.indexOf(':');
  return colon === -1 ? [entry, undefined] : [entry.slice(0, colon).trim(), entry.slice(colon + 1)];
}

/** Seconds, or why the text is not a time. */
function parseTime(timeText: string): number | string {
  if (timeText.startsWith('-') && typeof parseTime(timeText.slice(1)) === 'number') {
    return `"${timeText}" is before the start of the shot; times count from 0s`;
  }
  const seconds = SECONDS.exec(timeText);
  if (seconds) return Number(seconds[1]);
  const minutesSeconds = MINUTES_SECONDS.exec(timeText);
  if (minutesSeconds) {
    const secondsPart = Number(minutesSeconds[2]);
    if (secondsPart >= 60) return `"${timeText}" has ${secondsPart} seconds past the minute; use less than 60, or ${TIME_HINT}`;
    return Number(minutesSeconds[1]) * 60 + secondsPart;
  }
  return `"${timeText}" is not a time; ${TIME_HINT}`;
}

function formatSeconds(seconds: number): string {
  return `${seconds}s`;
}

function quote(entry: string): string {
  const shown = entry.length > QUOTE_LIMIT ? `${entry.slice(0, QUOTE_LIMIT - 1).trimEnd()}…` : entry;
  return JSON.stringify(shown);
}

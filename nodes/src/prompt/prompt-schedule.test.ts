import { describe, expect, it } from 'vitest';
import type { PromptKey, PromptValue } from '../sdk/values.ts';
import { parsePromptSchedule, promptAt } from './prompt-schedule.ts';

function keysOf(source: string): PromptKey[] {
  const parsed = parsePromptSchedule(source);
  if ('errors' in parsed) throw new Error(`expected keys, got errors: ${parsed.errors.join(' / ')}`);
  return parsed.keys;
}

function errorsOf(source: string): string[] {
  const parsed = parsePromptSchedule(source);
  if ('keys' in parsed) throw new Error(`expected errors, got keys: ${JSON.stringify(parsed.keys)}`);
  return parsed.errors;
}

function prompt(text: string, schedule: PromptKey[]): PromptValue {
  return { kind: 'prompt', text, negative: '', schedule };
}

describe('parsePromptSchedule', () => {
  it('reads entries separated by | and by new lines', () => {
    expect(keysOf('0s: a family of dinosaurs in Paris | 3s: mammoths instead of dinosaurs\n5s: snow falls')).toEqual([
      { at: 0, text: 'a family of dinosaurs in Paris' },
      { at: 3, text: 'mammoths instead of dinosaurs' },
      { at: 5, text: 'snow falls' },
    ]);
  });

  it('reads every time form', () => {
    const keys = keysOf('0: a | 2.5s: b | 3 s: c | 1:30: d | 1:32.5: e | 100S: f');
    expect(keys.map((key) => key.at)).toEqual([0, 2.5, 3, 90, 92.5, 100]);
  });

  it('keeps colons that belong to the text', () => {
    expect(keysOf('1s: a sign that reads: OPEN | 1:05: time: later')).toEqual([
      { at: 1, text: 'a sign that reads: OPEN' },
      { at: 65, text: 'time: later' },
    ]);
  });

  it('ignores blank entries and surrounding space', () => {
    expect(keysOf('  \n 0s:  a  ||\r\n\n 2s: b |  ')).toEqual([
      { at: 0, text: 'a' },
      { at: 2, text: 'b' },
    ]);
  });

  it('gives no keys for a blank schedule', () => {
    expect(keysOf('')).toEqual([]);
    expect(keysOf(' | \n ')).toEqual([]);
  });

  it('names the entry and says how to write a time', () => {
    expect(errorsOf('0s: a | 3x: foo')).toEqual(['entry 2 ("3x: foo"): "3x" is not a time; write seconds like 3s or 1:30']);
  });

  it('reports an entry without a time or without a colon', () => {
    const [noColon, noTime] = errorsOf('dinosaurs in Paris | : mammoths');
    expect(noColon).toMatch(/^entry 1 \("dinosaurs in Paris"\): has no time; start it with a time and a colon, like "3s: dinosaurs in Paris"$/);
    expect(noTime).toMatch(/^entry 2 \(": mammoths"\): has nothing before the colon/);
  });

  it('reports empty text, including a lone mm:ss time', () => {
    const errors = errorsOf('0s: a | 2s: | 1:30');
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^entry 2 \("2s:"\): has no text after 2s/);
    expect(errors[1]).toMatch(/^entry 3 \("1:30"\): has a time but no text/);
  });

  it('reports negative times as before the start', () => {
    const errors = errorsOf('-2s: a | -0:30: b');
    expect(errors[0]).toBe('entry 1 ("-2s: a"): "-2s" is before the start of the shot; times count from 0s');
    expect(errors[1]).toMatch(/^entry 2 \("-0:30: b"\): "-0:30" is before the start/);
  });

  it('reports seconds past the minute', () => {
    expect(errorsOf('1:75: a')[0]).toMatch(/^entry 1 \("1:75: a"\): "1:75" has 75 seconds past the minute/);
  });

  it('requires strictly ascending times, naming both entries', () => {
    const errors = errorsOf('0s: a | 4s: b | 2s: c | 2s: d');
    expect(errors).toEqual([
      'entry 3 ("2s: c"): 2s is not after entry 2 at 4s; times must go up, each later than the one before',
      'entry 4 ("2s: d"): 2s is not after entry 3 at 2s; times must go up, each later than the one before',
    ]);
  });

  it('reports every mistake at once', () => {
    const errors = errorsOf('0s: a | 3x: b | 2s: | nope | 0s: e');
    expect(errors.map((error) => error.slice(0, 'entry 2'.length))).toEqual(['entry 2', 'entry 3', 'entry 4', 'entry 5']);
  });

  it('shortens long entries in messages', () => {
    const [error] = errorsOf(`zz: ${'very long text '.repeat(10)}`);
    expect(error).toMatch(/^entry 1 \("zz: very long text very long text very…"\): "zz" is not a time/);
  });
});

describe('promptAt', () => {
  const schedule = [
    { at: 0, text: 'dinosaurs' },
    { at: 3, text: 'mammoths' },
    { at: 5, text: 'snow' },
  ];

  it('holds the text when there is no schedule', () => {
    expect(promptAt(prompt('a quiet street', []), 0)).toEqual({ from: 'a quiet street', to: 'a quiet street', mix: 0 });
    expect(promptAt(prompt('a quiet street', []), 12.5)).toEqual({ from: 'a quiet street', to: 'a quiet street', mix: 0 });
  });

  it('blends linearly between keys', () => {
    const value = prompt('unused', schedule);
    expect(promptAt(value, 0)).toEqual({ from: 'dinosaurs', to: 'mammoths', mix: 0 });
    expect(promptAt(value, 1.5)).toEqual({ from: 'dinosaurs', to: 'mammoths', mix: 0.5 });
    expect(promptAt(value, 4.5)).toEqual({ from: 'mammoths', to: 'snow', mix: 0.75 });
  });

  it('reaches a key exactly at its time', () => {
    expect(promptAt(prompt('', schedule), 3)).toEqual({ from: 'mammoths', to: 'snow', mix: 0 });
  });

  it('holds the last key after it', () => {
    expect(promptAt(prompt('', schedule), 5)).toEqual({ from: 'snow', to: 'snow', mix: 0 });
    expect(promptAt(prompt('', schedule), 60)).toEqual({ from: 'snow', to: 'snow', mix: 0 });
  });

  it('opens on the text and blends into a first key that comes later', () => {
    const value = prompt('a quiet street', [{ at: 2, text: 'a street on fire' }]);
    expect(promptAt(value, 0)).toEqual({ from: 'a quiet street', to: 'a street on fire', mix: 0 });
    expect(promptAt(value, 0.5)).toEqual({ from: 'a quiet street', to: 'a street on fire', mix: 0.25 });
    expect(promptAt(value, 2)).toEqual({ from: 'a street on fire', to: 'a street on fire', mix: 0 });
  });

  it('holds a later first key from the start when there is no text', () => {
    const value = prompt('', [
      { at: 2, text: 'fire' },
      { at: 4, text: 'ash' },
    ]);
    expect(promptAt(value, 1)).toEqual({ from: 'fire', to: 'fire', mix: 0 });
    expect(promptAt(value, 3)).toEqual({ from: 'fire', to: 'ash', mix: 0.5 });
  });

  it('treats times before the start as the start', () => {
    expect(promptAt(prompt('', schedule), -1)).toEqual({ from: 'dinosaurs', to: 'dinosaurs', mix: 0 });
  });

  it('refuses a time that is not a number', () => {
    expect(() => promptAt(prompt('a', []), Number.NaN)).toThrow(RangeError);
  });
});

import { describe, expect, it } from 'vitest';
import { commandFor, displayKeys, type KeyLike } from './keyboard-shortcuts.ts';

const press = (key: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

describe('commandFor', () => {
  it('maps keys to commands, with Ctrl or Cmd as the modifier', () => {
    expect(commandFor(press('Enter', { ctrlKey: true }), false)).toBe('run');
    expect(commandFor(press('Enter', { metaKey: true, shiftKey: true }), false)).toBe('runToHere');
    expect(commandFor(press('z', { ctrlKey: true }), false)).toBe('undo');
    expect(commandFor(press('Z', { metaKey: true, shiftKey: true }), false)).toBe('redo');
    expect(commandFor(press('A', { shiftKey: true }), false)).toBe('addNode');
    expect(commandFor(press('Delete'), false)).toBe('delete');
    expect(commandFor(press('?', { shiftKey: true }), false)).toBe('help');
    expect(commandFor(press('q'), false)).toBeUndefined();
  });

  it('adds notes, groups and ungroups, and compares, with keys that typing in a note leaves alone', () => {
    expect(commandFor(press('n'), false)).toBe('addNote');
    expect(commandFor(press('g', { ctrlKey: true }), false)).toBe('group');
    expect(commandFor(press('G', { metaKey: true, shiftKey: true }), false)).toBe('ungroup');
    expect(commandFor(press('C', { shiftKey: true }), false)).toBe('compare');
    for (const key of ['n', 'C', 'Delete']) expect(commandFor(press(key, { shiftKey: key === 'C' }), true)).toBeUndefined();
  });

  it('leaves typing alone in fields but keeps run, undo and save there', () => {
    expect(commandFor(press('Backspace'), true)).toBeUndefined();
    expect(commandFor(press('l'), true)).toBeUndefined();
    expect(commandFor(press('Enter', { ctrlKey: true }), true)).toBe('run');
    expect(commandFor(press('z', { ctrlKey: true }), true)).toBe('undo');
    expect(commandFor(press('s', { ctrlKey: true }), true)).toBe('save');
  });

  it('writes Mod as the platform does', () => {
    expect(displayKeys('Mod+Shift+Z', true)).toBe('⌘+Shift+Z');
    expect(displayKeys('Mod+Shift+Z', false)).toBe('Ctrl+Shift+Z');
  });
});

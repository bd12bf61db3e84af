import { describe, expect, it } from 'vitest';
import { testEntries } from '../testing/test-catalog.ts';
import { compatiblePort, groupByCategory, searchCatalog, searchLibrary } from './palette-search.ts';

const titles = (items: { entry: { title: string } }[]) => items.map((item) => item.entry.title);

describe('searchCatalog', () => {
  it('lists everything in catalog order without a query', () => {
    expect(titles(searchCatalog(testEntries, ''))).toEqual(['Prompt', 'Camera move', 'Generate', 'Concat', 'Export']);
  });

  it('ranks title starts above matches in descriptions and needs every word', () => {
    expect(titles(searchCatalog(testEntries, 'ca'))).toEqual(['Camera move', 'Concat']);
    expect(titles(searchCatalog(testEntries, 'shot'))).toEqual(['Prompt']);
    expect(titles(searchCatalog(testEntries, 'camera zzz'))).toEqual([]);
  });

  it('offers only nodes that take the type of a wire dropped from an output, with the port to join', () => {
    const items = searchCatalog(testEntries, '', { nodeId: 'g1', port: 'video', type: 'VIDEO', from: 'output' });
    expect(items.map((item) => [item.entry.title, item.port])).toEqual([
      ['Concat', 'clip1'],
      ['Export', 'video'],
    ]);
  });

  it('offers only nodes that give the type of a wire dropped from an input', () => {
    const items = searchCatalog(testEntries, '', { nodeId: 'g1', port: 'camera', type: 'CAMERA', from: 'input' });
    expect(items.map((item) => [item.entry.title, item.port])).toEqual([['Camera move', 'camera']]);
  });
});

describe('compatiblePort', () => {
  it('prefers a required input over an optional one of the same type', () => {
    const entry = { ...testEntries[2]!, inputs: { extra: { type: 'PROMPT', optional: true }, prompt: { type: 'PROMPT', optional: false } } };
    expect(compatiblePort(entry, { nodeId: 'p', port: 'prompt', type: 'PROMPT', from: 'output' })).toBe('prompt');
  });
});

describe('groupByCategory', () => {
  it('groups in order of first appearance', () => {
    expect(groupByCategory(searchCatalog(testEntries, '')).map((group) => [group.category, group.items.length])).toEqual([
      ['Input', 1],
      ['Camera', 1],
      ['Generation', 1],
      ['Edit', 1],
      ['Output', 1],
    ]);
  });
});

describe('searchLibrary', () => {
  const entries = [
    { id: 'Opening', name: 'Opening shot', description: 'A fox at dawn.', savedAt: '2026-01-01T00:00:00.000Z' },
    { id: 'Credits', name: 'Credits', savedAt: '2026-01-01T00:00:00.000Z' },
  ];
  it('lists every entry without a query, and those with every word in their name or description', () => {
    expect(searchLibrary(entries, '').map((entry) => entry.id)).toEqual(['Opening', 'Credits']);
    expect(searchLibrary(entries, 'fox open').map((entry) => entry.id)).toEqual(['Opening']);
    expect(searchLibrary(entries, 'CRED').map((entry) => entry.id)).toEqual(['Credits']);
    expect(searchLibrary(entries, 'owl')).toEqual([]);
  });
  it('offers none from a dropped wire: their ports are not known yet', () => {
    expect(searchLibrary(entries, '', { nodeId: 'g1', port: 'video', type: 'VIDEO', from: 'output' })).toEqual([]);
  });
});

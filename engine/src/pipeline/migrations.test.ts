import { describe, expect, it } from 'vitest';
import { migrateDocument, MIGRATIONS, type Migration } from './migrations.ts';

// Version 1 is the first format, so these tests drive the mechanism with a
// made-up history: v1 stored `ui` as `position`, v2 renamed `text` params.
const history: Migration[] = [
  {
    from: 1,
    describe: 'nodes: position → ui',
    migrate: (doc) => ({
      ...doc,
      nodes: (doc.nodes as Record<string, unknown>[]).map(({ position, ...node }) => ({ ...node, ui: position })),
    }),
  },
  {
    from: 2,
    describe: 'prompt: prompt → text',
    migrate: (doc) => ({
      ...doc,
      nodes: (doc.nodes as { params: Record<string, unknown> }[]).map(({ params: { prompt, ...rest }, ...node }) => ({
        ...node,
        params: prompt === undefined ? rest : { ...rest, text: prompt },
      })),
    }),
  },
];

describe('migrateDocument', () => {
  const v1 = {
    format: 'reelgraph.pipeline',
    version: 1,
    nodes: [{ id: 'p', type: 'prompt', params: { prompt: 'owls' }, position: { x: 1, y: 2 } }],
  };

  it('applies migrations in order up to the current version, without touching the input', () => {
    const frozen = structuredClone(v1);
    const result = migrateDocument(v1, history, 3);
    expect(result).toEqual({
      ok: true,
      applied: ['nodes: position → ui', 'prompt: prompt → text'],
      document: { format: 'reelgraph.pipeline', version: 3, nodes: [{ id: 'p', type: 'prompt', params: { text: 'owls' }, ui: { x: 1, y: 2 } }] },
    });
    expect(v1).toEqual(frozen);
  });

  it('starts from the file’s own version', () => {
    const result = migrateDocument({ ...v1, version: 2, nodes: [{ id: 'p', type: 'prompt', params: { prompt: 'x' } }] }, history, 3);
    expect(result.ok && result.applied).toEqual(['prompt: prompt → text']);
  });

  it('says when a step is missing', () => {
    const result = migrateDocument(v1, history.slice(1), 3);
    expect(result).toMatchObject({ ok: false, issues: [{ code: 'version', message: expect.stringContaining('from version 1') }] });
  });

  it('leaves a current file as it is', () => {
    expect(migrateDocument(v1, MIGRATIONS)).toEqual({ ok: true, document: v1, applied: [] });
  });

  it('refuses non-objects and bad versions', () => {
    expect(migrateDocument([1, 2]).ok).toBe(false);
    expect(migrateDocument({ ...v1, version: '1' })).toMatchObject({ ok: false, issues: [{ code: 'version' }] });
    expect(migrateDocument({ ...v1, version: 0 })).toMatchObject({ ok: false, issues: [{ code: 'version' }] });
  });
});

import { describe, expect, it } from 'vitest';
import { testDocument } from '../testing/test-catalog.ts';
import { looksLikePipelineFile, parsePipelineText, pipelineFileName, pipelineText, readPipeline } from './pipeline-file.ts';

describe('pipeline files', () => {
  it('reads back what it writes', () => {
    const doc = testDocument();
    expect(parsePipelineText(pipelineText(doc))).toEqual({ ok: true, doc });
  });

  it('fills in the lists a hand-written file may leave out', () => {
    const parsed = parsePipelineText('{"format":"reelgraph.pipeline","version":1,"nodes":[{"id":"a","type":"prompt"}]}');
    expect(parsed).toEqual({
      ok: true,
      doc: { format: 'reelgraph.pipeline', version: 1, name: 'Untitled', nodes: [{ id: 'a', type: 'prompt', params: {} }], edges: [], assets: {} },
    });
  });

  it('says what is wrong with files it cannot open', () => {
    expect(parsePipelineText('{nope')).toMatchObject({ ok: false, error: expect.stringContaining('not valid JSON') });
    expect(parsePipelineText('{"format":"other"}')).toEqual({ ok: false, error: 'This is not a Reelgraph pipeline: "format" must be "reelgraph.pipeline".' });
    expect(parsePipelineText('{"format":"reelgraph.pipeline","version":7,"nodes":[]}')).toEqual({
      ok: false,
      error: 'This pipeline is version 7; this editor reads up to version 1. Update Reelgraph to open it.',
    });
  });

  it('holds a dropped file to the engine\'s limits before it reaches the document', () => {
    const deep = '{"a":'.repeat(100_000) + '{}' + '}'.repeat(100_000);
    const parsed = parsePipelineText(`{"format":"reelgraph.pipeline","version":1,"nodes":[{"id":"a","type":"prompt","ui":${deep}}]}`);
    expect(parsed).toMatchObject({ ok: false, error: expect.stringMatching(/^The pipeline nests deeper than 64 levels/) });
    expect(parsePipelineText('{"format":"reelgraph.pipeline","version":1,"nodes":[],"__proto__":{"nodes":[1]}}')).toEqual({
      ok: false,
      error: 'The pipeline uses the reserved key "__proto__" (at "__proto__"); remove it.',
    });
    expect(parsePipelineText(' '.repeat(33 * 1024 * 1024))).toEqual({
      ok: false,
      error: 'This file is larger than 32 MiB; embed fewer assets or reference files beside it.',
    });
  });

  it('names the file after the pipeline', () => {
    expect(pipelineFileName('Dinosaurs in Paris!')).toBe('dinosaurs-in-paris.reel.json');
    expect(pipelineFileName('   ')).toBe('pipeline.reel.json');
  });

  it('tells pipeline files from media by name or type', () => {
    expect(looksLikePipelineFile({ name: 'shot.reel.json', type: '' })).toBe(true);
    expect(looksLikePipelineFile({ name: 'shot.mp4', type: 'video/mp4' })).toBe(false);
  });

  it('keeps well-formed reusable graph definitions and leaves out the others', () => {
    const parsed = readPipeline({
      format: 'reelgraph.pipeline',
      version: 1,
      nodes: [{ id: 'a', type: 'graph:shot', params: {} }],
      definitions: { shot: { name: 'Shot', nodes: [] }, broken: { name: 'Broken', nodes: 'x' } },
    });
    expect(parsed.ok && Object.keys(parsed.doc.definitions ?? {})).toEqual(['shot']);
  });
});

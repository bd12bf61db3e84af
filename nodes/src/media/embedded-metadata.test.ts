import { describe, expect, it } from 'vitest';
import { asciiJson, pipelineForEmbedding } from './embedded-metadata.ts';

describe('asciiJson', () => {
  it('escapes everything beyond ASCII and stays the same JSON', () => {
    const value = { name: 'Café ☕ 🎬', text: 'line\nbreak' };
    const json = asciiJson(value);
    expect(json).toMatch(/^[\x20-\x7e]*$/);
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe('pipelineForEmbedding', () => {
  const pipeline = {
    format: 'reelgraph.pipeline',
    version: 1,
    nodes: [{ id: 'r', type: 'reference-image', params: { image: 'sha256:ab' } }],
    assets: { 'sha256:ab': { name: 'hero.png', mime: 'image/png', data: 'A'.repeat(5000) } },
  };

  it('embeds the whole pipeline when it fits', () => {
    const embedding = pipelineForEmbedding(pipeline, 10_000);
    expect(JSON.parse(embedding.pipeline!)).toEqual(pipeline);
    expect(embedding.note).toBeUndefined();
  });

  it('drops inline asset data, keeping the references, when the whole would not fit', () => {
    const embedding = pipelineForEmbedding(pipeline, 1000);
    const embedded = JSON.parse(embedding.pipeline!);
    expect(embedding.note).toMatch(/leaves out its images and videos/);
    expect(embedded.assets).toEqual({ 'sha256:ab': { name: 'hero.png', mime: 'image/png' } });
    expect(embedded.nodes).toEqual(pipeline.nodes);
  });

  it('embeds nothing when even that is too long', () => {
    expect(pipelineForEmbedding(pipeline, 50)).toEqual({ note: expect.stringMatching(/^The pipeline is not embedded: at 182 characters it is over the 50 /) });
    expect(pipelineForEmbedding('x'.repeat(100), 50).pipeline).toBeUndefined();
  });
});

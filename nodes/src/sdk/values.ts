/**
 * The values that travel along wires. Pixels are packed RGB24 (3 bytes per
 * pixel, row-major, top row first); masks Gray8. A video's or a mask's frames
 * are a FrameSequence (frame-sequence.ts): chunks read and written a few
 * frames at a time, never one buffer of the whole clip.
 */
import type { FrameSequence } from './frame-sequence.ts';

export interface PromptKey {
  /** Seconds from the start of the shot at which `text` is fully reached. */
  at: number;
  text: string;
}

export interface PromptValue {
  kind: 'prompt';
  text: string;
  negative: string;
  /** Ascending by `at`; empty when the prompt does not change over time. */
  schedule: PromptKey[];
}

export const CAMERA_PRESETS = [
  'static',
  'push-in',
  'pull-out',
  'pan-left',
  'pan-right',
  'tilt-up',
  'tilt-down',
  'truck-left',
  'truck-right',
  'orbit-left',
  'orbit-right',
  'dolly-zoom',
  'handheld',
] as const;
export type CameraPreset = (typeof CAMERA_PRESETS)[number];

export const CAMERA_FRAMINGS = ['wide', 'medium', 'close-up'] as const;
export type CameraFraming = (typeof CAMERA_FRAMINGS)[number];

export const CAMERA_EASINGS = ['linear', 'ease-in', 'ease-out', 'ease-in-out'] as const;
export type CameraEasing = (typeof CAMERA_EASINGS)[number];

/** A pose of the virtual camera at a moment of the shot. */
export interface CameraKeyframe {
  /** Seconds from the start of the shot. */
  time: number;
  /** Magnification of the frame's centre: 1 shows the whole field, 2 half of it. */
  zoom: number;
  /** Horizontal camera position in frame widths; positive looks further right. */
  x: number;
  /** Vertical camera position in frame heights; positive looks further down. */
  y: number;
  /** Rotation of the camera about its axis, in degrees, clockwise. */
  roll: number;
}

export interface CameraValue {
  kind: 'camera';
  preset: CameraPreset;
  framing: CameraFraming;
  /** 0..1: how far the move travels. */
  intensity: number;
  easing: CameraEasing;
  /** Seeds the handheld shake; other presets ignore it. */
  seed: number;
  /** When present they define the path and the preset is ignored. */
  keyframes: CameraKeyframe[];
}

export interface ImageValue {
  kind: 'image';
  width: number;
  height: number;
  /** RGB24, width * height * 3 bytes. */
  pixels: Uint8Array;
}

export interface MaskValue {
  kind: 'mask';
  width: number;
  height: number;
  /** 1 for a mask that stands for every frame of a video. */
  frameCount: number;
  /** Gray8 coverage (255 = inside), one channel. */
  frames: FrameSequence;
}

export interface VideoValue {
  kind: 'video';
  width: number;
  height: number;
  fps: number;
  frameCount: number;
  /** RGB24, three channels. */
  frames: FrameSequence;
}

/** An artefact a node wrote under the data dir (an export). */
export interface FileValue {
  kind: 'file';
  /** POSIX path relative to the data dir, e.g. `outputs/shot_00001.mp4`. */
  path: string;
  mime: string;
  bytes: number;
  sha256: string;
  /** For a folder of frames: the files in it, relative to `path`. */
  files?: string[];
  /** Something the person should know about the file, e.g. that the pipeline could not be embedded whole. */
  note?: string;
}

export type Value = PromptValue | CameraValue | ImageValue | MaskValue | VideoValue | FileValue;

export function frameBytes(width: number, height: number): number {
  return width * height * 3;
}

/** A video value of a complete RGB sequence. */
export function videoOf(frames: FrameSequence, fps: number): VideoValue {
  return { kind: 'video', width: frames.width, height: frames.height, fps, frameCount: frames.frameCount, frames };
}

/** A mask value of a complete Gray8 sequence. */
export function maskOf(frames: FrameSequence): MaskValue {
  return { kind: 'mask', width: frames.width, height: frames.height, frameCount: frames.frameCount, frames };
}

export function videoDuration(video: VideoValue): number {
  return video.frameCount / video.fps;
}

/** What ffprobe says about a media file, reduced to what the nodes need. */
import { fileUrl, runFfprobe } from './ffmpeg-process.ts';
import { DECODE_GUARD } from '../sdk/limits.ts';

export interface MediaInfo {
  hasVideo: boolean;
  /** Display size: swapped from the coded size when the file says to rotate by a quarter turn (ffmpeg decodes it upright). */
  width: number;
  height: number;
  fps: number;
  /** The same rate as ffmpeg writes it (`30000/1001`), to hand back to ffmpeg without rounding. */
  frameRate: string;
  /** 0 when neither the container nor the duration tells. */
  frameCount: number;
  /** True when frameCount was stored in the container or counted, false when estimated from the duration. */
  frameCountExact: boolean;
  /** Seconds; 0 when unknown (a still image). */
  duration: number;
  codec: string;
  pixelFormat: string;
}

export interface ProbeOptions {
  /** Count the packets when the container does not store a frame count (reads the whole file, without decoding). */
  countFrames?: boolean;
  signal?: AbortSignal;
}

/** Probes a file, or bytes fed through a pipe (recognised by content alone, see decodeImage). */
export async function probeMedia(source: string | Uint8Array, options: ProbeOptions = {}): Promise<MediaInfo> {
  const fromPipe = typeof source !== 'string';
  const output = await runFfprobe(
    [
      '-print_format',
      'json',
      '-show_streams',
      '-show_format',
      ...(options.countFrames ? ['-count_packets'] : []),
      ...DECODE_GUARD,
      '-i',
      fromPipe ? 'pipe:0' : fileUrl(source),
    ],
    { signal: options.signal, ...(fromPipe ? { input: [source] } : {}) },
  );
  return parseProbe(JSON.parse(output) as ProbeJson);
}

/** Format-level tags (container metadata), keys lower-cased: Matroska writes them in capitals. */
export async function readFormatTags(file: string, options: { signal?: AbortSignal } = {}): Promise<Record<string, string>> {
  const output = await runFfprobe(['-print_format', 'json', '-show_entries', 'format_tags', ...DECODE_GUARD, '-i', fileUrl(file)], options);
  const tags = (JSON.parse(output) as ProbeJson).format?.tags ?? {};
  return Object.fromEntries(Object.entries(tags).map(([key, value]) => [key.toLowerCase(), String(value)]));
}

interface ProbeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  nb_frames?: string;
  nb_read_packets?: string;
  duration?: string;
  disposition?: { attached_pic?: number };
  tags?: Record<string, string>;
  side_data_list?: { rotation?: number | string }[];
}

export interface ProbeJson {
  streams?: ProbeStream[];
  format?: { duration?: string; tags?: Record<string, string> };
}

export function parseProbe(json: ProbeJson): MediaInfo {
  const stream = json.streams?.find((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1);
  if (!stream) {
    return {
      hasVideo: false,
      width: 0,
      height: 0,
      fps: 0,
      frameRate: '0/1',
      frameCount: 0,
      frameCountExact: false,
      duration: positive(json.format?.duration),
      codec: '',
      pixelFormat: '',
    };
  }
  const rate = chooseFrameRate(stream.r_frame_rate, stream.avg_frame_rate);
  const duration = positive(stream.duration) || positive(json.format?.duration);
  const stored = positive(stream.nb_frames) || positive(stream.nb_read_packets);
  const quarterTurn = Math.abs(rotationOf(stream)) % 180 === 90;
  const width = stream.width ?? 0;
  const height = stream.height ?? 0;
  return {
    hasVideo: true,
    width: quarterTurn ? height : width,
    height: quarterTurn ? width : height,
    fps: rate.fps,
    frameRate: rate.text,
    frameCount: stored || Math.round(duration * rate.fps),
    frameCountExact: stored > 0,
    duration,
    codec: stream.codec_name ?? '',
    pixelFormat: stream.pix_fmt ?? '',
  };
}

/** Parses `30000/1001` or `25`; undefined for `0/0` and other non-rates. */
export function parseFrameRate(text: string | undefined): { fps: number; text: string } | undefined {
  if (!text) return undefined;
  const [numerator, denominator = '1'] = text.split('/');
  const fps = Number(numerator) / Number(denominator);
  return Number.isFinite(fps) && fps > 0 ? { fps, text } : undefined;
}

/**
 * r_frame_rate is exact for constant-rate video; for variable-rate video it is
 * the finest time step (often far above the real rate), so the average is
 * taken when the two disagree by more than 2 %.
 */
export function chooseFrameRate(real: string | undefined, average: string | undefined): { fps: number; text: string } {
  const r = parseFrameRate(real);
  const avg = parseFrameRate(average);
  if (r && (!avg || Math.abs(r.fps - avg.fps) <= 0.02 * r.fps)) return r;
  return avg ?? r ?? { fps: 25, text: '25/1' };
}

function rotationOf(stream: ProbeStream): number {
  const fromSideData = stream.side_data_list?.find((entry) => entry.rotation !== undefined)?.rotation;
  const value = Number(fromSideData ?? stream.tags?.rotate ?? 0);
  return Number.isFinite(value) ? value : 0;
}

function positive(text: string | undefined): number {
  const value = Number(text);
  return Number.isFinite(value) && value > 0 ? value : 0;
}

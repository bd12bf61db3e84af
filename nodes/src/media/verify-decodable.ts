import { checkDecodePixels, DECODE_GUARD } from '../sdk/limits.ts';
import { checkPictureSize } from './check-picture-size.ts';
import { fileUrl, runFfmpeg } from './ffmpeg-process.ts';
import { probeMedia, type MediaInfo } from './probe.ts';
import { IMAGE_CODECS } from './decode.ts';

export type MediaKind = 'image' | 'video';

/**
 * Whether a file is an image or a video ffmpeg can really decode: probing
 * reads only headers, so the first frame is decoded too. A picture declaring
 * more pixels than are ever decoded is refused first (LimitError), from its
 * header alone. Throws otherwise.
 */
export async function verifyDecodable(file: string, signal?: AbortSignal): Promise<{ kind: MediaKind; info: MediaInfo }> {
  await checkPictureSize(file);
  const info = await probeMedia(file, { signal });
  if (!info.hasVideo) throw new Error('The file holds no picture.');
  checkDecodePixels(info.width, info.height);
  await runFfmpeg([...DECODE_GUARD, '-i', fileUrl(file), '-frames:v', '1', '-f', 'null', '-'], { signal });
  const kind: MediaKind = (IMAGE_CODECS as readonly string[]).includes(info.codec) && info.frameCount <= 1 ? 'image' : 'video';
  return { kind, info };
}

import { checkDecodePixels } from '../sdk/limits.ts';
import { readImageSize, type ImageSize } from './image-size.ts';

/**
 * Refuses a still image whose header declares more pixels than are ever
 * decoded (LimitError), or whose header is broken (ImageHeaderError), reading
 * only its first bytes. Undefined for files that are not still images.
 */
export async function checkPictureSize(file: string): Promise<ImageSize | undefined> {
  const size = await readImageSize(file);
  if (size) checkDecodePixels(size.width, size.height);
  return size;
}

/**
 * A node asked a seam (openShotGenerator, openUpscaler, openInterpolator)
 * for a model that is not installed, or that cannot do what the node does:
 * something the person fixes in the model picker or with `reelgraph models`.
 */
export class ModelUnavailableError extends Error {
  override name = 'ModelUnavailableError';
}

/**
 * The contract every sampler of the Stable Diffusion family keeps (Euler,
 * Euler ancestral, DDIM, LCM), so the denoising loop is written once:
 *
 *   latents = noise × initNoiseSigma            (text-to-image)
 *   latents = addNoise(imageLatents, noise, 0)  (image-to-image, inpaint)
 *   for step in 0 ..< timesteps.length:
 *     ε = unet(scaleInput(latents, step), timesteps[step], text)
 *     latents = step(ε, step, latents, noise).latents
 *
 * Latents are flat Float32Arrays (NCHW, any batch); every method returns a
 * new array and never changes its arguments.
 */

export type SchedulerKind = 'euler' | 'euler-ancestral' | 'ddim' | 'lcm';

export interface StepResult {
  /** The latents for the next step (after the last step: the result). */
  latents: Float32Array;
  /** The model's estimate of the clean latents at this step (for live previews). */
  denoised: Float32Array;
}

export interface DenoiseSchedule {
  readonly kind: SchedulerKind;
  /** What the UNet is given as its timestep at each step, in order (e.g. [999] for one trailing step). */
  readonly timesteps: readonly number[];
  /** Pure noise N(0, 1) times this is where text-to-image starts. */
  readonly initNoiseSigma: number;
  /** The UNet's input at `step` (Euler divides by √(σ²+1); DDIM and LCM pass the latents through). */
  scaleInput(latents: Float32Array, step: number): Float32Array;
  /** One denoising step from the model's output (ε, v or x₀ as the config's prediction_type says); `noise` draws N(0, 1) for the samplers that add noise. */
  step(modelOutput: Float32Array, step: number, latents: Float32Array, noise: () => number): StepResult;
  /** `clean` latents noised to the level the loop expects before `step` (step = timesteps.length: returns clean unchanged). */
  addNoise(clean: Float32Array, noise: Float32Array, step: number): Float32Array;
}

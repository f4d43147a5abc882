/**
 * Every diffusers scheduler a Stable Diffusion pipeline uses, in plain Java over {@code float[]} arrays, numerically
 * identical to diffusers 0.27.2 (within 1e-5 relative on every step of the recorded reference runs; timesteps exactly).
 *
 * <h2>Shape of the API</h2>
 * diffusers keeps configuration and per-generation state in one mutable scheduler object. Here they are split:
 * <ul>
 *   <li>{@link io.github.sdm.samplers.Sampler}: the configured sampler, immutable and thread-safe, shared by all
 *       generations. Made by {@link io.github.sdm.samplers.Samplers#create(String, SamplerConfig, java.util.Map)} from
 *       a short name ({@code ddim, dpmpp_2m, dpmpp_2m_karras, dpmpp_3m, dpmpp_2m_sde, dpmpp_2m_sde_karras, dpm_2m, lcm,
 *       euler, euler_karras, euler_a, pndm, lms, lms_karras, unipc, heun, ddpm}) or a diffusers class name, the model
 *       folder's {@code scheduler_config.json} ({@link io.github.sdm.samplers.SamplerConfig#parse}) and overrides.</li>
 *   <li>{@link io.github.sdm.samplers.SamplingRun}: one generation's pass, from
 *       {@link io.github.sdm.samplers.Sampler#start} (text to image) or
 *       {@link io.github.sdm.samplers.Sampler#startAtStrength} (image to image, diffusers' {@code get_timesteps}).</li>
 *   <li>{@link io.github.sdm.samplers.NoiseSource}: the only source of randomness, one array per diffusers
 *       {@code randn_tensor} call; {@link io.github.sdm.samplers.NoiseSource#seeded} for reproducible runs,
 *       {@link io.github.sdm.samplers.NoiseSource#replaying} to feed noise recorded from diffusers.</li>
 * </ul>
 *
 * <h2>The denoising loop</h2>
 * <pre>{@code
 * Sampler sampler = Samplers.create("dpmpp_2m_karras", SamplerConfig.parse(schedulerConfigJson), Map.of());
 * SamplingRun run = sampler.start(steps, NoiseSource.seeded(seed));
 * float[] x = multiply(gaussianLatents, run.initNoiseSigma());
 * double[] t = run.timesteps();              // fractional for Euler/Heun with linspace or Karras sigmas
 * for (int i = 0; i < t.length; i++) {       // Heun: two entries per step, t.length = 2 * steps - 1
 *     float[] in = run.scaleModelInput(x, i);
 *     float[] eps = unet(in, t[i]);           // with classifier-free guidance already combined
 *     x = run.step(eps, i, x);
 * }
 * }</pre>
 * Image to image: {@code run = sampler.startAtStrength(steps, strength, noise)}, then
 * {@code x = run.addNoise(initLatents, gaussianLatents, 0)} and the same loop. Step arguments of diffusers' {@code step}
 * ({@code eta} and {@code use_clipped_model_output} for DDIM, {@code s_churn}, {@code s_tmin}, {@code s_tmax},
 * {@code s_noise} for Euler, {@code order} for LMS) are configuration fields here.
 *
 * <h2>Samplers</h2>
 * {@link io.github.sdm.samplers.DdimSampler}, {@link io.github.sdm.samplers.DdpmSampler},
 * {@link io.github.sdm.samplers.DpmSolverMultistepSampler}, {@link io.github.sdm.samplers.EulerSampler},
 * {@link io.github.sdm.samplers.EulerAncestralSampler}, {@link io.github.sdm.samplers.HeunSampler},
 * {@link io.github.sdm.samplers.LcmSampler}, {@link io.github.sdm.samplers.LmsSampler},
 * {@link io.github.sdm.samplers.PndmSampler}, {@link io.github.sdm.samplers.UniPcSampler}.
 *
 * <h2>Configuration</h2>
 * Fields use diffusers' names and each class's diffusers defaults. In the model folder's
 * {@code scheduler_config.json} a field the class does not know is ignored with a debug log, as diffusers does (such
 * configs carry {@code _class_name}, {@code _diffusers_version} and other classes' fields). The caller's overrides
 * are stricter: a field no sampler reads is refused with the closest known name ("did you mean use_karras_sigmas?")
 * and the list of them ({@link io.github.sdm.samplers.Samplers#settingNames()}), and a value of the wrong type is
 * refused even when the chosen sampler would not read it. An invalid value, wrong type or impossible step count is a
 * {@link io.github.sdm.samplers.SamplerConfigException} naming the field and value; too many steps for a
 * {@code steps_offset} and a strength too small to leave one step say which values work.
 *
 * <h2>Numerics</h2>
 * Schedules follow diffusers' mix of precisions: betas and {@code alphas_cumprod} as torch float32 tensors (torch's
 * vectorised {@code linspace}, {@code cumprod} accumulated in double), sigma grids in numpy float64 cast to float32,
 * numpy's own float32 {@code log} in the Karras sigma-to-timestep inversion. Steps compute their scalar coefficients
 * in float32 as torch's 0-dimensional tensors do, and apply them per element in float32 in diffusers' order of
 * operations.
 */
package io.github.sdm.samplers;

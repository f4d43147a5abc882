/**
 * Training settings and reports, engine-free: {@link io.github.sdm.assembly.train.TrainingSettings} (AdamW,
 * clipping, EMA, the warm-up and cosine learning-rate schedule), {@link io.github.sdm.assembly.train.ModelConfigs}
 * (the architecture to train, as diffusers configs), {@link io.github.sdm.assembly.train.DiffusionNoise} (SD's
 * forward process) and the listeners that see each step. The loop itself, on DJL, is
 * {@code io.github.sdm.assembly.djl.train}.
 */
package io.github.sdm.assembly.train;

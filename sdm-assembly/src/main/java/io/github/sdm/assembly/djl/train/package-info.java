/**
 * The training loop on DJL's autograd over the nn framework's training mode: {@link
 * io.github.sdm.assembly.djl.train.Trainer} runs a {@link io.github.sdm.assembly.djl.train.TrainingStage}
 * ({@link io.github.sdm.assembly.djl.train.VaeStage}, {@link io.github.sdm.assembly.djl.train.DiffusionStage})
 * with {@link io.github.sdm.assembly.djl.train.AdamW}, gradient clipping, a {@link
 * io.github.sdm.assembly.djl.train.WeightEma} and resumable {@link io.github.sdm.assembly.djl.train.Checkpoint}s;
 * {@link io.github.sdm.assembly.djl.train.DiffusersExport} writes the result as a diffusers folder and
 * {@link io.github.sdm.assembly.djl.train.EmojiTraining} chains the two stages. See {@code docs/training.md}.
 */
package io.github.sdm.assembly.djl.train;

/**
 * The emoji training data, engine-free: {@link io.github.sdm.assembly.data.EmojiDataset} reads the folder
 * {@code scripts/fetch-emoji} fills, {@link io.github.sdm.assembly.data.Captions} states the caption rules,
 * {@link io.github.sdm.assembly.data.HeldOutSet} the emoji training never sees, and
 * {@link io.github.sdm.assembly.data.EpochOrder} with {@link io.github.sdm.assembly.data.StepRandom} make every
 * draw a function of (seed, step). See {@code docs/training.md}.
 */
package io.github.sdm.assembly.data;

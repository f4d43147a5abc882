/**
 * The quality yardstick of {@code sdm bench quality} (see {@code docs/quality.md}): a fixed prompt set drawn
 * from the emoji data, prompt fidelity as retrieval accuracy under a small-pixel embedding, realism as a
 * Fréchet distance under the same embedding, and the deviation of variants from the full model. Engine-free:
 * it drives generation through sdm-core's public API only.
 */
package io.github.sdm.bench.quality;

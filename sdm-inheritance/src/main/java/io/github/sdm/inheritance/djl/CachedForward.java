package io.github.sdm.inheritance.djl;

import ai.djl.ndarray.NDArray;

/**
 * The result of a key step of block-level inheritance: the UNet output, and the deep feature (the hidden
 * state entering the shallow up layers), kept for the shallow passes of the calls in between.
 */
record CachedForward(NDArray output, NDArray deepFeature) {
}

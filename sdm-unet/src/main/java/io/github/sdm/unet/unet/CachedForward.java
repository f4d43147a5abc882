package io.github.sdm.unet.unet;

import ai.djl.ndarray.NDArray;

/**
 * A full UNet pass that also kept the deep feature: the hidden state entering the shallow part of the
 * up path, to be reused by {@link UNet2DConditionModel#forwardShallow} at later steps.
 */
public record CachedForward(NDArray output, NDArray deepFeature) {
}

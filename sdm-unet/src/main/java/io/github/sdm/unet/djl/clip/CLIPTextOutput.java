package io.github.sdm.unet.djl.clip;

import ai.djl.ndarray.NDArray;

/**
 * What {@link CLIPTextModel#encode(NDArray, int, io.github.sdm.unet.djl.nn.ForwardContext)} returns.
 *
 * @param hiddenStates the chosen layer's normed hidden states {@code [B, L, hidden]}
 * @param pooled the pooled output {@code [B, hidden]}
 */
public record CLIPTextOutput(NDArray hiddenStates, NDArray pooled) {
}

package io.github.sdm.unet.djl.lora;

import io.github.sdm.unet.lora.LoraLayer;

/**
 * A layer of an adapter with the adapter's multiplier: its update is {@code factor() * up @ down}.
 *
 * @param layer the adapter's layer
 * @param multiplier the adapter's multiplier
 */
record WeightedLayer(LoraLayer layer, double multiplier) {

    /** multiplier * scale, the factor of {@code up @ down}, rounded to float as the engine computes it. */
    float factor() {
        return (float) (multiplier * layer.scale());
    }
}

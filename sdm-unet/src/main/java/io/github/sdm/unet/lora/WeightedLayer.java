package io.github.sdm.unet.lora;

/**
 * A layer of an adapter with the adapter's multiplier: its update is {@code factor() * up @ down}, whichever engine
 * merges it.
 *
 * @param layer the adapter's layer
 * @param multiplier the adapter's multiplier
 */
public record WeightedLayer(LoraLayer layer, double multiplier) {

    /** multiplier * scale, the factor of {@code up @ down}, rounded to float as the engine computes it. */
    public float factor() {
        return (float) (multiplier * layer.scale());
    }
}

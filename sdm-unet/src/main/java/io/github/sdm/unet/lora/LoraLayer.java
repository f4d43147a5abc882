package io.github.sdm.unet.lora;

/**
 * One adapted layer: {@code delta W = scale * up @ down}, applied with a multiplier.
 *
 * @param network the network holding the layer
 * @param part the layer's part name (diffusers key prefix)
 * @param rank the inner dimension r
 * @param inFeatures the layer's input features (channels)
 * @param outFeatures the layer's output features (channels)
 * @param kernelSize the down projection's square kernel: 1 for linear layers and 1x1 adapters, the
 *     convolution's kernel for a LoCon adapter on a 3x3 convolution
 * @param down {@code [rank, in, kernel, kernel]} row-major ({@code [rank, in]} when the kernel is 1)
 * @param up {@code [out, rank]} row-major
 * @param scale alpha / rank for kohya files with an alpha, else 1
 */
public record LoraLayer(LoraNetwork network, String part, int rank, long inFeatures, long outFeatures,
        int kernelSize, float[] down, float[] up, double scale) {

    /** The number of floats the layer holds (down and up). */
    public long floats() {
        return (long) down.length + up.length;
    }
}

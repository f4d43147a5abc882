package io.github.sdm.unet.graph.strategy;

import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.unet.graph.UNetCut;
import java.util.Map;

/** One UNet call of a generation (its latents, timestep and text bound), runnable on any variant of the graph. */
public interface UNetGraphCall {
    /** The key of the prediction in {@link #run}'s result. */
    String OUT_SAMPLE = "out_sample";

    /** The shape of this call's latents, {@code [batch, channels, height, width]}. */
    int[] sampleShape();

    /**
     * Runs the variant of the UNet for {@code cut} (its session opened at first use and kept with the model).
     *
     * @param cut the variant
     * @param fed a value for every point of {@code cut.fed()} the variant reads (extra ones are ignored)
     * @return {@link #OUT_SAMPLE} and every point of {@code cut.exposed()}, by name
     */
    Map<String, FloatTensor> run(UNetCut cut, Map<String, FloatTensor> fed);
}

package io.github.sdm.unet.graph.strategy;

import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.unet.graph.UNetCut;
import java.util.Map;

/**
 * How the UNet calls of one generation run on built graphs: the whole graph every time ({@link #FULL}), or variants
 * that reuse values kept from earlier calls (feature inheritance). A strategy holds the caches of one generation and
 * is not shared between threads; {@link #close()} drops them.
 */
public interface GraphStrategy extends AutoCloseable {

    /** Every call on the whole graph; no state. */
    GraphStrategy FULL = (call, callIndex) -> call.run(UNetCut.NONE, Map.of()).get(UNetGraphCall.OUT_SAMPLE);

    /**
     * One UNet call.
     *
     * @param call the call's inputs, runnable on any variant
     * @param callIndex this call's index in the generation, 0-based, below the session's call count
     * @return the prediction
     */
    FloatTensor predict(UNetGraphCall call, int callIndex);

    /** Drops every cached value. */
    @Override
    default void close() {
    }
}

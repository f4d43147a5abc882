package io.github.sdm.unet.graph.strategy;

import io.github.sdm.unet.graph.UNetCut;
import java.util.List;
import java.util.Set;

/** A loaded UNet as built graphs: what a {@link GraphStrategy} may cut, shared by every generation of the model. */
public interface UNetGraphs {

    /** Every addressable point of the UNet ({@link io.github.sdm.unet.graph.UNetGraph}), in computation order. */
    List<String> points();

    /** The number of skip connections, the deepest shallow depth of a DeepCache cut. */
    int skipCount();

    /** The number of down blocks (the part selectors' {@code deep} / {@code down} split needs it). */
    int downBlocks();

    /**
     * The fed points the variant for {@code cut} still reads once pruned: what a caching pass must expose for it.
     *
     * @param cut a variant with points fed
     * @return a subset of {@code cut.fed()}
     */
    Set<String> fedInputs(UNetCut cut);
}

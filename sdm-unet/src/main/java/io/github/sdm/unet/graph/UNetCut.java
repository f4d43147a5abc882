package io.github.sdm.unet.graph;

import java.util.Set;

/**
 * Which addressable values of a built UNet graph ({@link UNetGraph#points}) a variant of the graph takes as inputs
 * and which it hands out as outputs besides {@code out_sample}: the sub-graphs feature inheritance runs. A fed value
 * replaces what the network would compute there, and whatever only that computation needed is pruned from the
 * variant; an exposed value is computed as usual and also returned. Inputs and outputs are named after their points.
 *
 * @param fed the points whose values the caller supplies
 * @param exposed the points whose values the variant returns
 */
public record UNetCut(Set<String> fed, Set<String> exposed) {
    /** The whole network, nothing fed or exposed: the graph the backend loads. */
    public static final UNetCut NONE = new UNetCut(Set.of(), Set.of());

    public UNetCut {
        // equal cuts are equal records: the key of a variant's session
        fed = Set.copyOf(fed);
        exposed = Set.copyOf(exposed);
    }

    /** A variant that takes the values of {@code points} as inputs. */
    public static UNetCut feeding(Set<String> points) {
        return new UNetCut(points, Set.of());
    }

    /** The whole network that also returns the values of {@code points}. */
    public static UNetCut exposing(Set<String> points) {
        return new UNetCut(Set.of(), points);
    }
}

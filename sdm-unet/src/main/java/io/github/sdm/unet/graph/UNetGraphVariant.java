package io.github.sdm.unet.graph;

import java.util.List;
import java.util.Set;

/**
 * A UNet graph built for a {@link UNetCut}.
 *
 * @param graph the pruned graph
 * @param points every addressable point of the UNet, in the order the network computes them
 * @param fed the fed points the pruned graph still reads, its inputs besides {@code sample}, {@code timestep} and
 *     {@code encoder_hidden_states} (a fed point nothing left needs, e.g. one whose only reader is fed too, is dropped)
 * @param exposed the points the graph returns besides {@code out_sample}
 */
public record UNetGraphVariant(BuiltGraph graph, List<String> points, Set<String> fed, Set<String> exposed) {
    public UNetGraphVariant {
        points = List.copyOf(points);
        fed = Set.copyOf(fed);
        exposed = Set.copyOf(exposed);
    }
}

package io.github.sdm.bench.perf;

import io.github.sdm.bench.djl.PartProfiler;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Time and operations of a network's parts over the calls a {@link PartProfiler} saw.
 *
 * @param parts one entry per part that ran, in first-call order
 * @param outermostNanos wall time of the outermost intercepted calls (for a whole network: its calls)
 * @param outermostCpuNanos process CPU time (all threads) of the outermost intercepted calls
 */
public record PartProfile(List<PartTotals> parts, long outermostNanos, long outermostCpuNanos) {

    public PartProfile {
        parts = List.copyOf(parts);
    }

    /**
     * One part's totals.
     *
     * @param inclusiveNanos wall time of its calls, children included
     * @param selfNanos wall time of its own work (children excluded)
     * @param selfCpuNanos process CPU time (all threads) of its own work (children excluded)
     * @param flops its own operations (children excluded)
     */
    public record PartTotals(String name, PartKind kind, long calls, long inclusiveNanos, long selfNanos,
            long selfCpuNanos, Flops flops) {
    }

    /**
     * Self wall and CPU time, operations and call count summed by kind, in {@link PartKind} order; kinds never seen
     * are absent.
     */
    public Map<PartKind, KindTotals> byKind() {
        Map<PartKind, KindTotals> out = new EnumMap<>(PartKind.class);
        for (PartTotals p : parts) {
            out.merge(p.kind(), new KindTotals(p.calls(), p.selfNanos(), p.selfCpuNanos(), p.flops()),
                    KindTotals::plus);
        }
        return out;
    }

    /** Every part's own operations, summed. */
    public Flops totalFlops() {
        Flops sum = Flops.ZERO;
        for (PartTotals p : parts) {
            sum = sum.plus(p.flops());
        }
        return sum;
    }

    /** The totals of the part with this name. */
    public PartTotals part(String name) {
        for (PartTotals p : parts) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no part named '" + name + "' ran");
    }

    /** One kind's totals. */
    public record KindTotals(long calls, long selfNanos, long selfCpuNanos, Flops flops) {
        KindTotals plus(KindTotals o) {
            return new KindTotals(calls + o.calls, selfNanos + o.selfNanos, selfCpuNanos + o.selfCpuNanos,
                    flops.plus(o.flops));
        }
    }
}

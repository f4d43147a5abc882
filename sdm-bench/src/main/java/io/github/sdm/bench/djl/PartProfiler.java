package io.github.sdm.bench.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.bench.perf.CpuTimes;
import io.github.sdm.bench.perf.Flops;
import io.github.sdm.bench.perf.PartKind;
import io.github.sdm.bench.perf.PartProfile;
import io.github.sdm.unet.djl.nn.Part;
import io.github.sdm.unet.djl.nn.PartInterceptor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An interceptor that times every named part of one network, in wall time and in process CPU time, and counts its
 * floating-point operations. Each call's <em>self</em> time is its time minus that of the intercepted parts it
 * called, so the self times of all parts add up to the time of the outermost calls, and each operation is charged
 * to exactly one part. PyTorch runs CPU ops synchronously, so wall time around a part is its compute time; the CPU
 * time (all threads) is the steadier measure on a machine other jobs share, and CPU well above wall shows a part
 * that uses the engine's threads.
 *
 * <p>Single-threaded, like a forward pass. {@link #profile()} reads the totals; {@link #reset()} starts over.
 */
public final class PartProfiler implements PartInterceptor {
    private final Map<String, Part> parts = new HashMap<>();
    private final Map<String, PartKind> kinds = new HashMap<>();
    private final Map<String, Totals> totals = new LinkedHashMap<>();
    /** Per open call: its children's {wall, cpu} nanoseconds. */
    private final Deque<long[]> childNanos = new ArrayDeque<>();
    private long outermostNanos;
    private long outermostCpuNanos;

    /** Profiles the parts of {@code root}'s tree (the root included). */
    public PartProfiler(Part root) {
        index(root, new ArrayList<>());
    }

    private void index(Part part, List<Part> ancestors) {
        parts.put(part.name(), part);
        kinds.put(part.name(), PartKind.of(part, ancestors));
        ancestors.add(part);
        for (Part child : part.children()) {
            index(child, ancestors);
        }
        ancestors.remove(ancestors.size() - 1);
    }

    @Override
    public NDList around(String partName, NDList inputs, Function<NDList, NDList> compute) {
        Part part = parts.get(partName);
        if (part == null) {
            throw new IllegalStateException("part '" + partName + "' is not in the tree this profiler was made for");
        }
        List<Shape> inputShapes = shapes(inputs);
        long[] children = {0, 0};
        childNanos.push(children);
        long cpuStart = CpuTimes.processNanos();
        long start = System.nanoTime();
        NDList out;
        try {
            out = compute.apply(inputs);
        } finally {
            childNanos.pop();
        }
        long wall = System.nanoTime() - start;
        long cpu = CpuTimes.processNanos() - cpuStart;
        if (childNanos.isEmpty()) {
            outermostNanos += wall;
            outermostCpuNanos += cpu;
        } else {
            childNanos.peek()[0] += wall;
            childNanos.peek()[1] += cpu;
        }
        Flops flops = FlopCount.of(part, inputShapes, shapes(out));
        totals.computeIfAbsent(partName, n -> new Totals()).add(wall, wall - children[0], cpu - children[1], flops);
        return out;
    }

    /** The totals so far, per part in first-call order. */
    public PartProfile profile() {
        List<PartProfile.PartTotals> list = new ArrayList<>();
        totals.forEach((name, t) -> list.add(new PartProfile.PartTotals(name, kinds.get(name), t.calls,
                t.inclusiveNanos, t.selfNanos, t.selfCpuNanos, t.flops)));
        return new PartProfile(list, outermostNanos, outermostCpuNanos);
    }

    public void reset() {
        totals.clear();
        outermostNanos = 0;
        outermostCpuNanos = 0;
    }

    private static List<Shape> shapes(NDList list) {
        List<Shape> out = new ArrayList<>(list.size());
        for (NDArray a : list) {
            out.add(a.getShape());
        }
        return out;
    }

    private static final class Totals {
        long calls;
        long inclusiveNanos;
        long selfNanos;
        long selfCpuNanos;
        Flops flops = Flops.ZERO;

        void add(long wall, long self, long selfCpu, Flops f) {
            calls++;
            inclusiveNanos += wall;
            selfNanos += self;
            selfCpuNanos += selfCpu;
            flops = flops.plus(f);
        }
    }
}

package io.github.sdm.bench.djl.routes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.bench.djl.EngineThreads;
import io.github.sdm.bench.perf.CpuTimes;
import io.github.sdm.bench.perf.Samples;
import io.github.sdm.bench.perf.ToolOptions;
import io.github.sdm.bench.report.MachineInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * Attention core {@code softmax(q k^T) v} on {@code [rows, n, d]} heads, whole or in chunks of
 * {@code rowChunk} batch-head rows by {@code queryChunk} query rows, timed round-robin in one JVM.
 *
 * <pre>
 * scripts/sdm bench tool attention-core \
 *     rows=16 n=4096 d=40 rounds=5 variants=0x0,16x64,1x1024,1x256
 * </pre>
 */
public final class AttentionCoreBench {
    private AttentionCoreBench() {
    }

    public static void main(String[] args) {
        ToolOptions o = ToolOptions.parse(args);
        System.out.println("machine at start: " + MachineInfo.current().describe());
        System.out.println(EngineThreads.set(o.integer("threads", 0)));
        long rows = o.integer("rows", 16);
        long n = o.integer("n", 4096);
        long m = o.integer("m", (int) n);
        long d = o.integer("d", 40);
        int rounds = o.integer("rounds", 5);
        String[] variants = o.text("variants", "0x0,16x64,1x1024,1x256").split(",");
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray q = manager.randomNormal(new Shape(rows, n, d));
            NDArray kt = manager.randomNormal(new Shape(rows, m, d)).transpose(0, 2, 1);
            NDArray v = manager.randomNormal(new Shape(rows, m, d));
            double[][] wall = new double[variants.length][rounds];
            double[][] cpu = new double[variants.length][rounds];
            float[] reference = null;
            for (int r = -1; r < rounds; r++) {
                for (int i = 0; i < variants.length; i++) {
                    String[] rc = variants[i].split("x");
                    long rowChunk = Long.parseLong(rc[0]);
                    long queryChunk = Long.parseLong(rc[1]);
                    long c0 = CpuTimes.processNanos();
                    long t0 = System.nanoTime();
                    try (NDManager scope = manager.newSubManager()) {
                        NDArray out = attend(scope, q, kt, v, rowChunk, queryChunk);
                        if (r == -1) {
                            float[] values = out.toFloatArray();
                            if (reference == null) {
                                reference = values;
                            } else {
                                System.out.println(variants[i] + ": " + Samples.difference(reference, values));
                            }
                        }
                    }
                    if (r >= 0) {
                        wall[i][r] = (System.nanoTime() - t0) / 1e9;
                        cpu[i][r] = (CpuTimes.processNanos() - c0) / 1e9;
                    }
                }
            }
            for (int i = 0; i < variants.length; i++) {
                System.out.printf("%-10s median %.3f s wall, %.3f s cpu%n", variants[i], Samples.median(wall[i]),
                        Samples.median(cpu[i]));
            }
        }
        System.out.println("load average at end: " + MachineInfo.current().loadAverage());
    }

    static NDArray attend(NDManager scope, NDArray q, NDArray kt, NDArray v, long rowChunk, long queryChunk) {
        long rows = q.getShape().get(0);
        long n = q.getShape().get(1);
        if (rowChunk <= 0) {
            return core(scope, q, kt, v);
        }
        List<NDArray> byRows = new ArrayList<>();
        for (long r = 0; r < rows; r += rowChunk) {
            long r1 = Math.min(rows, r + rowChunk);
            NDList byQueries = new NDList();
            for (long s = 0; s < n; s += queryChunk) {
                NDArray qc = q.get(new NDIndex("{}:{}, {}:{}", r, r1, s, Math.min(n, s + queryChunk)));
                NDArray kc = kt.get(new NDIndex("{}:{}", r, r1));
                NDArray vc = v.get(new NDIndex("{}:{}", r, r1));
                byQueries.add(core(scope, qc, kc, vc));
            }
            byRows.add(byQueries.size() == 1 ? byQueries.head() : NDArrays.concat(byQueries, 1));
        }
        return byRows.size() == 1 ? byRows.get(0) : NDArrays.concat(new NDList(byRows), 0);
    }

    private static NDArray core(NDManager scope, NDArray q, NDArray kt, NDArray v) {
        NDArray scores = q.matMul(kt);
        scores.attach(scope);
        NDArray probs = scores.softmax(-1);
        scores.close();
        NDArray out = probs.matMul(v);
        probs.close();
        out.attach(scope);
        return out;
    }
}

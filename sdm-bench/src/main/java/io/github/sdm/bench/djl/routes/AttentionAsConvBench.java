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
import io.github.sdm.unet.djl.nn.AttentionCore;

/**
 * Multi-head attention from projected {@code q [B, N, h*d]}, {@code k, v [B, M, h*d]} to the merged
 * {@code [B, N, h*d]}: (0) heads folded into the batch and batched matrix products ({@link AttentionCore}),
 * (1) grouped 1x1 convolutions over channels-last views, one group per head, timed round-robin.
 *
 * <pre>
 * scripts/sdm bench tool attention-as-conv \
 *     b=2 n=4096 m=4096 heads=8 d=40 rounds=3 chunkMiB=16
 * </pre>
 */
public final class AttentionAsConvBench {
    private AttentionAsConvBench() {
    }

    public static void main(String[] args) {
        ToolOptions o = ToolOptions.parse(args);
        System.out.println("machine at start: " + MachineInfo.current().describe());
        System.out.println(EngineThreads.set(o.integer("threads", 0)));
        long b = o.integer("b", 2);
        long n = o.integer("n", 4096);
        long m = o.integer("m", (int) n);
        long h = o.integer("heads", 8);
        long d = o.integer("d", 40);
        long chunkBytes = (long) o.integer("chunkMiB", 16) << 20;
        int rounds = o.integer("rounds", 3);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray q = manager.randomNormal(new Shape(b, n, h * d)).mul(1 / Math.sqrt(d));
            NDArray k = manager.randomNormal(new Shape(b, m, h * d));
            NDArray v = manager.randomNormal(new Shape(b, m, h * d));
            double[][] wall = new double[2][rounds];
            double[][] cpu = new double[2][rounds];
            float[][] results = new float[2][];
            for (int r = -1; r < rounds; r++) {
                for (int variant = 0; variant < 2; variant++) {
                    long c0 = CpuTimes.processNanos();
                    long t0 = System.nanoTime();
                    try (NDManager scope = manager.newSubManager()) {
                        q.tempAttach(scope);
                        NDArray y = variant == 0 ? batched(q, k, v, h, d) : grouped(q, k, v, h, d, chunkBytes);
                        if (r < 0) {
                            results[variant] = y.toFloatArray();
                        }
                    }
                    if (r >= 0) {
                        wall[variant][r] = (System.nanoTime() - t0) / 1e9;
                        cpu[variant][r] = (CpuTimes.processNanos() - c0) / 1e9;
                    }
                }
            }
            String[] names = {"batched matmul", "grouped conv"};
            for (int variant = 0; variant < 2; variant++) {
                System.out.printf("%-16s median %.3f s wall, %.3f s cpu%n", names[variant],
                        Samples.median(wall[variant]), Samples.median(cpu[variant]));
            }
            System.out.println(Samples.difference(results[0], results[1]));
        }
        System.out.println("load average at end: " + MachineInfo.current().loadAverage());
    }

    private static NDArray toHeads(NDArray t, long h, long d) {
        long b = t.getShape().get(0);
        long len = t.getShape().get(1);
        return t.reshape(b, len, h, d).transpose(0, 2, 1, 3).reshape(b * h, len, d);
    }

    static NDArray batched(NDArray q, NDArray k, NDArray v, long h, long d) {
        long b = q.getShape().get(0);
        long n = q.getShape().get(1);
        NDArray out = AttentionCore.attend(toHeads(q, h, d), toHeads(k, h, d).transpose(0, 2, 1), toHeads(v, h, d), 0);
        return out.reshape(b, h, n, d).transpose(0, 2, 1, 3).reshape(b, n, h * d);
    }

    static NDArray grouped(NDArray q, NDArray k, NDArray v, long h, long d, long chunkBytes) {
        long b = q.getShape().get(0);
        long n = q.getShape().get(1);
        long m = k.getShape().get(1);
        long queryChunk = Math.max(1, Math.min(n, chunkBytes / (h * m * Float.BYTES)));
        NDList perBatch = new NDList();
        for (long i = 0; i < b; i++) {
            // weights of the score conv: [h*M, d, 1, 1] (head-major keys); of the output conv: [h*d, M, 1, 1]
            NDArray kw = k.get(i).reshape(m, h, d).transpose(1, 0, 2).reshape(h * m, d, 1, 1);
            NDArray vw = v.get(i).reshape(m, h, d).transpose(1, 2, 0).reshape(h * d, m, 1, 1);
            NDList chunks = new NDList();
            for (long s = 0; s < n; s += queryChunk) {
                long e = Math.min(n, s + queryChunk);
                long len = e - s;
                NDArray x = q.get(new NDIndex("{}, {}:{}", i, s, e)).reshape(1, len, 1, h * d).transpose(0, 3, 1, 2);
                NDArray scores = conv(x, kw, h);
                NDArray probs = scores.transpose(0, 2, 3, 1).reshape(len, h, m).softmax(-1);
                scores.close();
                NDArray pin = probs.reshape(1, len, 1, h * m).transpose(0, 3, 1, 2);
                NDArray out = conv(pin, vw, h);
                probs.close();
                chunks.add(out.transpose(0, 2, 3, 1).reshape(len, h * d));
            }
            perBatch.add(NDArrays.concat(chunks, 0));
        }
        return NDArrays.stack(perBatch, 0);
    }

    private static NDArray conv(NDArray x, NDArray w, long groups) {
        return x.getNDArrayInternal().convolution(x, w, null, new Shape(1, 1), new Shape(0, 0), new Shape(1, 1),
                (int) groups).singletonOrThrow();
    }
}

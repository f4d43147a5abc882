package io.github.sdm.bench.djl.jmh;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.unet.djl.nn.Attention;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.RandomWeights;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The largest attention of SD 1.5's UNet at 512x512: self-attention ({@code attn1} of
 * {@code down_blocks.0}) over 4096 tokens of 320 channels, 8 heads of 40, batch 2, projections included.
 * Unsliced ({@code sliceSize} 0) its score map is [16, 4096, 4096] floats, 1 GiB; sliced, that many
 * batch*head rows are computed at a time.
 *
 * <p>Run from the repository root after {@code mvn -o -q -pl sdm-bench -am package -DskipTests}:
 * {@code OMP_WAIT_POLICY=PASSIVE java -cp "sdm-bench/target/classes:$(cat sdm-bench/target/classpath.txt)"
 * org.openjdk.jmh.Main Attention}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = "-Dai.djl.offline=true")
public class AttentionBenchmark {
    private static final int BATCH = 2;
    private static final int CHANNELS = 320;
    private static final int HEADS = 8;

    @Param({"4096"})
    public int tokens;

    /** Batch*head rows per slice; 0 = unsliced. */
    @Param({"0", "1", "8"})
    public int sliceSize;

    private NDManager manager;
    private Attention attention;
    private ForwardContext ctx;
    private NDArray x;

    @Setup
    public void setUp() {
        manager = NDManager.newBaseManager();
        attention = new Attention("attn1", CHANNELS, CHANNELS, HEADS, CHANNELS / HEADS, false);
        RandomWeights.initialize(attention, 0, manager);
        ctx = ForwardContext.DEFAULT.withAttentionSliceSize(sliceSize);
        manager.getEngine().setRandomSeed(0);
        x = manager.randomNormal(new Shape(BATCH, tokens, CHANNELS));
    }

    @Benchmark
    public long selfAttention() {
        NDArray out = attention.forward(ctx, x);
        long size = out.size();
        out.close();
        return size;
    }

    @TearDown
    public void tearDown() {
        manager.close();
    }
}

package io.github.sdm.bench.djl.jmh;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.unet.config.UNetConfig;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.Part;
import io.github.sdm.unet.djl.nn.RandomWeights;
import io.github.sdm.unet.djl.unet.DownBlock;
import io.github.sdm.unet.djl.unet.DownBlockOutput;
import io.github.sdm.unet.djl.unet.MidBlock;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;
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
 * One block of Stable Diffusion 1.5's UNet with seeded random weights, batch 2 as under classifier-free
 * guidance: {@code down_blocks.0} (two resnets and two transformers at 320 channels, then the stride-2
 * downsampler) at the full latent size, and {@code mid_block} (1280 channels) at an eighth of it. Only the
 * block's own weights are created, so setup is quick and light.
 *
 * <p>Run from the repository root after {@code mvn -o -q -pl sdm-bench -am package -DskipTests}:
 * {@code OMP_WAIT_POLICY=PASSIVE java -cp "sdm-bench/target/classes:$(cat sdm-bench/target/classpath.txt)"
 * org.openjdk.jmh.Main UNetBlock}; {@code -p latent=64} for 512x512 images.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = "-Dai.djl.offline=true")
public class UNetBlockBenchmark {
    private static final int BATCH = 2;
    private static final int TEXT_TOKENS = 77;

    @Param({"down_blocks.0", "mid_block"})
    public String block;

    /** Latent side of the UNet input (32 for 256x256 images, 64 for 512x512). */
    @Param({"32"})
    public int latent;

    private NDManager manager;
    private Part part;
    private NDArray hidden;
    private NDArray temb;
    private NDArray text;

    @Setup
    public void setUp() {
        manager = NDManager.newBaseManager();
        UNetConfig config = UNetConfig.stableDiffusion15();
        UNet2DConditionModel tree = new UNet2DConditionModel(config);
        part = tree.part(block);
        RandomWeights.initialize(part, 0, manager);
        int channels;
        int side;
        if (block.equals("mid_block")) {
            channels = config.blockOutChannels().get(config.blockCount() - 1);
            side = latent >> (config.blockCount() - 1);
        } else if (block.equals("down_blocks.0")) {
            channels = config.blockOutChannels().get(0);
            side = latent;
        } else {
            throw new IllegalArgumentException("block must be down_blocks.0 or mid_block, got " + block);
        }
        manager.getEngine().setRandomSeed(0);
        hidden = manager.randomNormal(new Shape(BATCH, channels, side, side));
        temb = manager.randomNormal(new Shape(BATCH, config.timeEmbeddingDim()));
        text = manager.randomNormal(new Shape(BATCH, TEXT_TOKENS, config.crossAttentionDim().get(0)));
    }

    @Benchmark
    public long forward() {
        if (part instanceof DownBlock down) {
            DownBlockOutput out = down.forward(ForwardContext.DEFAULT, hidden, temb, text);
            long size = out.hidden().size();
            out.skips().forEach(NDArray::close);
            return size;
        }
        NDArray out = ((MidBlock) part).forward(ForwardContext.DEFAULT, hidden, temb, text);
        long size = out.size();
        out.close();
        return size;
    }

    @TearDown
    public void tearDown() {
        manager.close();
    }
}

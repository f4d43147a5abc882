package io.github.sdm.bench.djl.jmh;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.unet.config.AutoencoderKLConfig;
import io.github.sdm.unet.config.CLIPTextConfig;
import io.github.sdm.unet.config.UNetConfig;
import io.github.sdm.unet.djl.clip.CLIPTextModel;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;
import io.github.sdm.unet.djl.vae.AutoencoderKL;
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
 * One whole call of each network of Stable Diffusion 1.5 at its real size (seeded random weights): the UNet
 * at batch 2 as classifier-free guidance runs it, one text encoding of a guidance pair, one VAE decode of one
 * image. Calls take seconds, so each iteration is one call ({@link Mode#SingleShotTime}). Seeded weights live in
 * direct buffers (4.2 GB for the three networks), hence the fork's direct-memory limit.
 *
 * <p>Run from the repository root after {@code mvn -o -q -pl sdm-bench -am package -DskipTests}:
 * {@code OMP_WAIT_POLICY=PASSIVE java -cp "sdm-bench/target/classes:$(cat sdm-bench/target/classpath.txt)"
 * org.openjdk.jmh.Main NetworkCall -p latent=64} (64 = 512x512 images; the default 32 = 256x256).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-XX:MaxDirectMemorySize=8g"})
public class NetworkCallBenchmark {
    private static final int TOKENS = 77;

    /** Latent side (32 for 256x256 images, 64 for 512x512). */
    @Param({"32"})
    public int latent;

    private NDManager manager;
    private UNet2DConditionModel unet;
    private CLIPTextModel textEncoder;
    private AutoencoderKL vae;
    private NDArray sample;
    private NDArray timestep;
    private NDArray context;
    private NDArray ids;
    private NDArray latents;

    @Setup
    public void setUp() {
        manager = NDManager.newBaseManager();
        unet = UNet2DConditionModel.random(UNetConfig.stableDiffusion15(), 0, manager);
        textEncoder = CLIPTextModel.random(CLIPTextConfig.stableDiffusion15(), 1, manager);
        vae = AutoencoderKL.random(AutoencoderKLConfig.stableDiffusion15(), 2, manager);
        manager.getEngine().setRandomSeed(0);
        sample = manager.randomNormal(new Shape(2, 4, latent, latent));
        timestep = manager.create(981f);
        context = manager.randomNormal(new Shape(2, TOKENS, 768));
        ids = manager.randomInteger(0, 49407, new Shape(2, TOKENS), DataType.INT64);
        latents = manager.randomNormal(new Shape(1, 4, latent, latent));
    }

    @Benchmark
    public float unetCall() {
        try (NDArray out = unet.forward(sample, timestep, context, ForwardContext.DEFAULT)) {
            return out.getFloat(0, 0, 0, 0);
        }
    }

    @Benchmark
    public float textEncoding() {
        try (NDArray out = textEncoder.encode(ids)) {
            return out.getFloat(0, 0, 0);
        }
    }

    @Benchmark
    public float vaeDecode() {
        try (NDArray out = vae.decode(latents)) {
            return out.getFloat(0, 0, 0, 0);
        }
    }

    @TearDown
    public void tearDown() {
        unet.close();
        textEncoder.close();
        vae.close();
        manager.close();
    }
}

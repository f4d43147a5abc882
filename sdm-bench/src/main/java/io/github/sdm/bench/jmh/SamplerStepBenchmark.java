package io.github.sdm.bench.jmh;

import io.github.sdm.samplers.NoiseSource;
import io.github.sdm.samplers.Sampler;
import io.github.sdm.samplers.SamplerConfig;
import io.github.sdm.samplers.Samplers;
import io.github.sdm.samplers.SamplingRun;
import java.util.Map;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * One sampler step ({@code SamplingRun.step}) on Stable Diffusion latents: 1x4x64x64 (one 512x512 image) and
 * 4x4x128x128 (four 1024x1024 images). Each invocation is the next step of a 50-step run, so multistep samplers are
 * measured at their usual order and a new run (with its schedule) is started every 50 steps, as a generation would.
 * Stochastic samplers include drawing their noise from the seeded source.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SamplerStepBenchmark {

    private static final int STEPS = 50;

    /** The Stable Diffusion 1.x scheduler_config.json every sampler is configured from. */
    private static final String SD15_SCHEDULER_CONFIG = "{\"_class_name\": \"PNDMScheduler\", \"beta_start\": 0.00085,"
            + " \"beta_end\": 0.012, \"beta_schedule\": \"scaled_linear\", \"num_train_timesteps\": 1000,"
            + " \"steps_offset\": 1, \"clip_sample\": false, \"set_alpha_to_one\": false, \"skip_prk_steps\": true}";

    @Param({"ddim", "ddpm", "dpmpp_2m", "dpmpp_2m_karras", "dpmpp_3m", "dpmpp_2m_sde", "dpm_2m", "euler", "euler_a",
            "heun", "lcm", "lms", "pndm", "unipc"})
    public String sampler;

    @Param({"1x4x64x64", "4x4x128x128"})
    public String shape;

    private Sampler configured;
    private SamplingRun run;
    private int nextStep;
    private float[] sample;
    private float[] modelOutput;

    @Setup
    public void setUp() {
        int size = 1;
        for (String dim : shape.split("x")) {
            size *= Integer.parseInt(dim);
        }
        sample = new float[size];
        modelOutput = new float[size];
        NoiseSource.seeded(1).fill(sample);
        NoiseSource.seeded(2).fill(modelOutput);
        configured = Samplers.create(sampler, SamplerConfig.parse(SD15_SCHEDULER_CONFIG), Map.of());
        run = configured.start(STEPS, NoiseSource.seeded(3));
    }

    @Benchmark
    public float[] step() {
        if (nextStep == run.length()) {
            run = configured.start(STEPS, NoiseSource.seeded(3));
            nextStep = 0;
        }
        return run.step(modelOutput, nextStep++, sample);
    }
}

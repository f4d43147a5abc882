package io.github.sdm.bench.perf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.unet.nn.ForwardContext;
import io.github.sdm.unet.unet.UNet2DConditionModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Times UNet calls at one image size and batch, the way a guided sampler calls it (batch 2: the
 * unconditional and the conditional half), and breaks the measured calls down by part with a
 * {@link PartProfiler} (its cost is a clock read and a few shape reads per part, about a thousand per
 * SD 1.5 call, negligible next to the call).
 */
public final class UNetCallBench {
    /** The timestep of the calls: the first step of a 50-step PNDM schedule. */
    public static final float TIMESTEP = 981f;
    /** CLIP's sequence length: the text embedding is {@code [batch, 77, cross_attention_dim]}. */
    public static final int TEXT_TOKENS = 77;

    private UNetCallBench() {
    }

    /**
     * @param imageSize image side in pixels; the latents are {@code imageSize / 8}
     * @param attentionSliceSize see {@link ForwardContext#withAttentionSliceSize}; 0 = unsliced
     */
    public record Settings(int imageSize, int batch, int warmup, int runs, int attentionSliceSize, long seed) {
        public Settings {
            if (imageSize <= 0 || imageSize % 8 != 0) {
                throw new IllegalArgumentException("image size must be a positive multiple of 8, got " + imageSize);
            }
            if (batch < 1 || runs < 1 || warmup < 0 || attentionSliceSize < 0) {
                throw new IllegalArgumentException("need batch >= 1, runs >= 1, warmup >= 0, slice >= 0; got "
                        + batch + ", " + runs + ", " + warmup + ", " + attentionSliceSize);
            }
        }

        public int latentSize() {
            return imageSize / 8;
        }
    }

    /**
     * @param calls the measured calls' wall times
     * @param cpu the CPU time of the measured calls together (all threads of the process)
     * @param profile the parts over all measured calls
     */
    public record Result(Settings settings, Durations calls, CpuTimes cpu, PartProfile profile) {
        /** One call's operations. */
        public Flops flopsPerCall() {
            Flops total = profile.totalFlops();
            long n = settings.runs();
            return new Flops(total.matmul() / n, total.elementwise() / n);
        }
    }

    public static Result run(UNet2DConditionModel unet, Settings settings, NDManager manager) {
        int latent = settings.latentSize();
        int crossDim = unet.config().crossAttentionDim().get(0);
        PartProfiler profiler = new PartProfiler(unet);
        ForwardContext plain = ForwardContext.DEFAULT.withAttentionSliceSize(settings.attentionSliceSize());
        ForwardContext profiled = plain.withInterceptor(profiler);
        List<Long> nanos = new ArrayList<>();
        CpuTimes cpu = new CpuTimes(0, 0);
        try (NDManager scope = manager.newSubManager()) {
            scope.getEngine().setRandomSeed((int) settings.seed());
            NDArray sample = scope.randomNormal(new Shape(settings.batch(), unet.config().inChannels(), latent, latent));
            NDArray timestep = scope.create(new float[] {TIMESTEP});
            NDArray text = scope.randomNormal(new Shape(settings.batch(), TEXT_TOKENS, crossDim));
            for (int i = 0; i < settings.warmup(); i++) {
                unet.forward(sample, timestep, text, plain).close();
            }
            for (int i = 0; i < settings.runs(); i++) {
                CpuTimes cpuStart = CpuTimes.now();
                long start = System.nanoTime();
                NDArray out = unet.forward(sample, timestep, text, profiled);
                nanos.add(System.nanoTime() - start);
                cpu = cpu.plus(CpuTimes.now().minus(cpuStart));
                out.close();
            }
        }
        return new Result(settings, Durations.ofNanos(nanos), cpu, profiler.profile());
    }
}

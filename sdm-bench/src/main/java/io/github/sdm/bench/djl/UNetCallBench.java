package io.github.sdm.bench.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.bench.perf.CpuTimes;
import io.github.sdm.bench.perf.Durations;
import io.github.sdm.bench.perf.Flops;
import io.github.sdm.bench.perf.PartProfile;
import io.github.sdm.bench.report.Format;
import io.github.sdm.bench.report.MemoryUsage;
import io.github.sdm.unet.config.UNetConfig;
import io.github.sdm.core.model.Precision;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.Network;
import io.github.sdm.unet.djl.nn.Parameter;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
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

    /**
     * The calls of every settings entry on one network, loaded from {@code unetFolder} or, when it is null, SD
     * 1.5's UNet with weights seeded by {@code seed}; the network is freed afterwards.
     *
     * @param progress where loading and per-size progress lines go
     */
    public static Runs runAll(Path unetFolder, long seed, List<Settings> settings, PrintWriter progress) {
        return runAll(unetFolder, Precision.FP32, Precision.FP32, seed, settings, progress);
    }

    /**
     * {@link #runAll(Path, long, List, PrintWriter)} with the weights held as {@code storage} and the calls computed
     * in {@code compute} (the config's {@code upcast_attention} keeps attention in float32); other than float32 needs
     * {@code unetFolder}.
     *
     * @throws IllegalArgumentException for another precision than float32 without a folder
     */
    public static Runs runAll(Path unetFolder, Precision storage, Precision compute, long seed, List<Settings> settings,
            PrintWriter progress) {
        if (unetFolder == null && (storage != Precision.FP32 || compute != Precision.FP32)) {
            throw new IllegalArgumentException("weights " + storage + " / compute " + compute + " need a model folder "
                    + "(random weights are float32; 'sdm make-model' writes an SD 1.5-shaped folder)");
        }
        List<Result> results = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            long start = System.nanoTime();
            String weights;
            UNet2DConditionModel unet;
            if (unetFolder == null) {
                progress.println("building SD 1.5's UNet with random weights (seed " + seed + ")...");
                unet = UNet2DConditionModel.random(UNetConfig.stableDiffusion15(), seed, manager);
                weights = "SD 1.5 UNet (859,520,964 parameters), seeded random weights, float32";
            } else {
                progress.println("loading " + unetFolder + "...");
                unet = UNet2DConditionModel.load(unetFolder, manager, storage);
                weights = "UNet of " + unetFolder + ", weights held as " + storage + " ("
                        + Format.bytes(residentWeightBytes(unet)) + "; process resident set after the load "
                        + Format.bytes(MemoryUsage.residentNow()) + "), computed in " + compute;
            }
            progress.println("ready in " + Format.duration(Duration.ofNanos(System.nanoTime() - start)));
            try (unet) {
                for (Settings s : settings) {
                    progress.println("size " + s.imageSize() + ": " + s.warmup() + " warm-up + " + s.runs()
                            + " measured calls...");
                    results.add(run(unet, s, compute, manager));
                }
                return new Runs(List.copyOf(results), weights, unet.config().crossAttentionDim().get(0));
            }
        }
    }

    /** The bytes the network's weights are held in (values, and the scales of int8 values). */
    public static long residentWeightBytes(Network network) {
        long bytes = 0;
        for (Parameter p : network.allParameters().values()) {
            bytes += p.value().getShape().size() * p.value().getDataType().getNumOfBytes();
            if (p.scales() != null) {
                bytes += p.scales().getShape().size() * p.scales().getDataType().getNumOfBytes();
            }
        }
        return bytes;
    }

    /**
     * @param weights what the network's weights were, for the report
     * @param textWidth the width of the text embedding the calls took
     */
    public record Runs(List<Result> results, String weights, int textWidth) {
    }

    public static Result run(UNet2DConditionModel unet, Settings settings, NDManager manager) {
        return run(unet, settings, Precision.FP32, manager);
    }

    /** The calls computed in {@code compute}, the config's {@code upcast_attention} in float32. */
    public static Result run(UNet2DConditionModel unet, Settings settings, Precision compute, NDManager manager) {
        int latent = settings.latentSize();
        int crossDim = unet.config().crossAttentionDim().get(0);
        PartProfiler profiler = new PartProfiler(unet);
        ForwardContext plain = ForwardContext.DEFAULT.withAttentionSliceSize(settings.attentionSliceSize())
                .withComputePrecision(compute)
                .withAttentionPrecision(unet.config().upcastAttention() ? Precision.FP32 : compute);
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

package io.github.sdm.bench.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.core.model.LoraAdapter;
import io.github.sdm.core.safetensors.DType;
import io.github.sdm.core.safetensors.SafetensorsWriter;
import io.github.sdm.core.safetensors.TensorSource;
import io.github.sdm.unet.config.CLIPTextConfig;
import io.github.sdm.unet.config.UNetConfig;
import io.github.sdm.unet.djl.clip.CLIPTextModel;
import io.github.sdm.unet.djl.lora.LoraApplication;
import io.github.sdm.unet.djl.lora.LoraInterceptor;
import io.github.sdm.unet.djl.lora.LoraParts;
import io.github.sdm.unet.djl.lora.MergedLora;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.Part;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;
import io.github.sdm.unet.lora.LoraNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * LoRA on SD 1.5's real UNet (seeded random weights): a synthetic kohya adapter of the given rank on every
 * attention projection ({@code attn1}/{@code attn2} {@code to_q}, {@code to_k}, {@code to_v}, {@code to_out.0}),
 * the time to read and merge it and to unmerge it, the memory the merge adds, and the UNet call time plain and
 * with the per-generation route.
 *
 * <p>Usage: {@code scripts/sdm bench tool lora [--rank 64] [--size 32] [--calls 3]}; with {@code --model FOLDER
 * --lora FILE} the networks of a diffusers folder and an adapter file of it instead (e.g. the tiny model and
 * {@code fixtures/tiny-lora/kohya.safetensors}).
 */
public final class LoraMeasurement {
    private static final Pattern ATTENTION = Pattern.compile(".*\\.attn[12]\\.(to_q|to_k|to_v|to_out\\.0)$");

    private LoraMeasurement() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int rank = Integer.parseInt(opts.getOrDefault("rank", "64"));
        int size = Integer.parseInt(opts.getOrDefault("size", "32"));
        int calls = Integer.parseInt(opts.getOrDefault("calls", "3"));
        Path model = opts.containsKey("model") ? Path.of(opts.get("model")) : null;
        Path file = opts.containsKey("lora") ? Path.of(opts.get("lora"))
                : Files.createTempFile("sdm-lora-", ".safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            UNet2DConditionModel unet = model != null ? UNet2DConditionModel.load(model.resolve("unet"), manager)
                    : UNet2DConditionModel.random(UNetConfig.stableDiffusion15(), 42, manager);
            CLIPTextModel clip = model != null ? CLIPTextModel.load(model.resolve("text_encoder"), manager)
                    : CLIPTextModel.random(CLIPTextConfig.stableDiffusion15(), 43, manager);
            if (opts.containsKey("lora")) {
                System.out.printf(Locale.ROOT, "UNet of %s, LoRA %s (%.1f MB); %d CPUs%n", model, file,
                        Files.size(file) / 1e6, Runtime.getRuntime().availableProcessors());
            } else {
                long[] counts = writeAdapter(unet, rank, file);
                System.out.printf(Locale.ROOT, "SD 1.5 UNet (random weights), kohya LoRA rank %d on %d attention "
                        + "projections: %.1f MB file, %.1f M adapted weights (%.0f MB); %d CPUs%n", rank, counts[0],
                        Files.size(file) / 1e6, counts[1] / 1e6, counts[1] * 4 / 1e6,
                        Runtime.getRuntime().availableProcessors());
            }
            List<LoraAdapter> adapters = List.of(new LoraAdapter(file, 0.8));

            long rssBefore = rssBytes();
            long t0 = System.nanoTime();
            List<MergedLora> merged = LoraApplication.merge(adapters, clip, unet);
            long t1 = System.nanoTime();
            long rssMerged = rssBytes();
            merged.forEach(MergedLora::unmerge);
            long t2 = System.nanoTime();
            System.out.printf(Locale.ROOT, "merge (read + apply): %.2f s, unmerge: %.3f s; resident memory +%.0f MB "
                    + "while merged (the originals are kept for the unmerge)%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9,
                    (rssMerged - rssBefore) / 1e6);

            manager.getEngine().setRandomSeed(1);
            NDArray sample = manager.randomNormal(new Shape(2, unet.config().inChannels(), size, size));
            NDArray context = manager.randomNormal(new Shape(2, 77, unet.config().crossAttentionDim().get(0)));
            NDArray timestep = manager.create(500f);
            long t3 = System.nanoTime();
            LoraInterceptor interceptor = LoraApplication.perGeneration(adapters, LoraParts.targets(clip, unet),
                    LoraNetwork.UNET, unet, manager).orElseThrow();
            System.out.printf(Locale.ROOT, "per generation: adapters read and placed in %.2f s%n",
                    (System.nanoTime() - t3) / 1e9);
            ForwardContext plain = ForwardContext.DEFAULT;
            ForwardContext withLora = plain.withOuterInterceptor(interceptor);
            unet.forward(sample, timestep, context, plain).close(); // warm-up
            unet.forward(sample, timestep, context, withLora).close();
            List<Double> plainSeconds = new ArrayList<>();
            List<Double> loraSeconds = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                // alternating which runs first, so a drift in the machine's load hits both alike
                boolean plainFirst = i % 2 == 0;
                for (boolean lora : new boolean[] {!plainFirst, plainFirst}) {
                    ForwardContext ctx = lora ? withLora : plain;
                    (lora ? loraSeconds : plainSeconds).add(time(() -> unet.forward(sample, timestep, context, ctx)
                            .close()));
                }
            }
            interceptor.close();
            System.out.printf(Locale.ROOT, "UNet call, batch 2, latents %dx%d: plain (or merged) %.1f ms, per-generation "
                    + "LoRA %.1f ms (median of %d, alternating): %+.1f%%%n", size, size, 1000 * median(plainSeconds),
                    1000 * median(loraSeconds), calls, 100 * (median(loraSeconds) / median(plainSeconds) - 1));
        } finally {
            if (!opts.containsKey("lora")) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** Writes the adapter; returns the number of adapted projections and of their weights' elements. */
    private static long[] writeAdapter(UNet2DConditionModel unet, int rank, Path file) throws IOException {
        Random random = new Random(7);
        List<TensorSource> tensors = new ArrayList<>();
        long layers = 0;
        long weights = 0;
        for (Map.Entry<String, Part> e : LoraParts.byName(unet).entrySet()) {
            if (!ATTENTION.matcher(e.getKey()).matches()) {
                continue;
            }
            long[] shape = e.getValue().parameters().get(e.getKey() + ".weight").shape();
            String module = "lora_unet_" + e.getKey().replace('.', '_');
            tensors.add(TensorSource.ofFloats(module + ".lora_down.weight", DType.F32,
                    gaussian(random, rank * shape[1]), rank, shape[1]));
            tensors.add(TensorSource.ofFloats(module + ".lora_up.weight", DType.F32,
                    gaussian(random, shape[0] * rank), shape[0], rank));
            tensors.add(TensorSource.ofFloats(module + ".alpha", DType.F32, new float[] {rank / 2f}));
            layers++;
            weights += shape[0] * shape[1];
        }
        SafetensorsWriter.write(file, tensors);
        return new long[] {layers, weights};
    }

    private static float[] gaussian(Random random, long n) {
        float[] out = new float[(int) n];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (0.01 * random.nextGaussian());
        }
        return out;
    }

    private static double time(Runnable body) {
        long start = System.nanoTime();
        body.run();
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    /** Resident set size from /proc (Linux), 0 elsewhere. */
    private static long rssBytes() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return 0;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        return 0;
    }
}

package io.github.sdm.bench.perf;

import io.github.sdm.core.spi.DenoiserSession;
import io.github.sdm.core.spi.DenoiserSessionOptions;
import io.github.sdm.core.spi.DiffusionNetworks;
import io.github.sdm.core.spi.TextConditioning;
import io.github.sdm.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Times UNet calls of a loaded model through the network SPI only, so that any backend (ONNX Runtime's on an export,
 * say) is measured the same way: seeded random latents of the batch, the text encoder's conditioning of empty
 * prompts, timestep 500, one session per image size.
 */
public final class SpiUNetCalls {
    /** The timestep of every call (mid-schedule, as the DJL UNet bench uses). */
    public static final double TIMESTEP = 500;
    private static final int TOKENS = 77;

    /**
     * The calls at one image size.
     *
     * @param imageSize the image side in pixels
     * @param latentShape the UNet input's shape
     * @param calls the measured calls
     */
    public record Result(int imageSize, int[] latentShape, Durations calls) {
    }

    private SpiUNetCalls() {
    }

    /**
     * Times {@code runs} calls per size after {@code warmup} unmeasured ones.
     *
     * @param networks the loaded model
     * @param sizes image sides in pixels, multiples of the VAE's downscale factor
     * @param batch the batch of each call
     * @param warmup unmeasured calls per size
     * @param runs measured calls per size
     * @param seed the latents' seed
     * @param progress where a line per call goes
     * @return one result per size, in order
     */
    public static List<Result> time(DiffusionNetworks networks, List<Integer> sizes, int batch, int warmup, int runs,
            long seed, Consumer<String> progress) {
        TextConditioning text = networks.textEncoder().encode(new long[batch][TOKENS]);
        int factor = networks.vae().downscaleFactor();
        Random random = new Random(seed);
        List<Result> results = new ArrayList<>();
        for (int size : sizes) {
            int[] shape = {batch, networks.unet().inChannels(), size / factor, size / factor};
            float[] latents = new float[(int) FloatTensor.count(shape)];
            for (int i = 0; i < latents.length; i++) {
                latents[i] = (float) random.nextGaussian();
            }
            FloatTensor sample = new FloatTensor(latents, shape);
            List<Long> nanos = new ArrayList<>();
            try (DenoiserSession session = networks.unet().openSession(new DenoiserSessionOptions(warmup + runs))) {
                for (int call = 0; call < warmup + runs; call++) {
                    long start = System.nanoTime();
                    session.predict(sample, TIMESTEP, call, text);
                    long elapsed = System.nanoTime() - start;
                    if (call >= warmup) {
                        nanos.add(elapsed);
                    }
                    progress.accept(size + "x" + size + " call " + (call + 1) + "/" + (warmup + runs)
                            + (call < warmup ? " (warm-up)" : "") + ": " + elapsed / 1_000_000 + " ms");
                }
            }
            results.add(new Result(size, shape, Durations.ofNanos(nanos)));
        }
        return results;
    }

    /**
     * Times the UNets of several loaded models (one folder on several backends, say) on the same inputs, in turn: per
     * size, {@code warmup} unmeasured calls of each, then {@code runs} rounds of one call of each, so that a change in
     * the machine's load falls on all of them alike.
     *
     * @param models the loaded models, all with the same latent channels and VAE factor
     * @param names what to call each model in the progress lines
     * @return per model (in order), one result per size
     */
    public static List<List<Result>> timeInTurn(List<DiffusionNetworks> models, List<String> names, List<Integer> sizes,
            int batch, int warmup, int runs, long seed, Consumer<String> progress) {
        List<TextConditioning> texts = new ArrayList<>();
        List<List<Result>> results = new ArrayList<>();
        for (DiffusionNetworks model : models) {
            texts.add(model.textEncoder().encode(new long[batch][TOKENS]));
            results.add(new ArrayList<>());
        }
        DiffusionNetworks first = models.get(0);
        Random random = new Random(seed);
        for (int size : sizes) {
            int factor = first.vae().downscaleFactor();
            int[] shape = {batch, first.unet().inChannels(), size / factor, size / factor};
            float[] latents = new float[(int) FloatTensor.count(shape)];
            for (int i = 0; i < latents.length; i++) {
                latents[i] = (float) random.nextGaussian();
            }
            FloatTensor sample = new FloatTensor(latents, shape);
            List<List<Long>> nanos = new ArrayList<>();
            List<DenoiserSession> sessions = new ArrayList<>();
            try {
                for (DiffusionNetworks model : models) {
                    sessions.add(model.unet().openSession(new DenoiserSessionOptions(warmup + runs)));
                    nanos.add(new ArrayList<>());
                }
                for (int call = 0; call < warmup + runs; call++) {
                    for (int m = 0; m < models.size(); m++) {
                        long start = System.nanoTime();
                        sessions.get(m).predict(sample, TIMESTEP, call, texts.get(m));
                        long elapsed = System.nanoTime() - start;
                        if (call >= warmup) {
                            nanos.get(m).add(elapsed);
                        }
                        progress.accept(names.get(m) + " " + size + "x" + size + " call " + (call + 1) + "/"
                                + (warmup + runs) + (call < warmup ? " (warm-up)" : "") + ": " + elapsed / 1_000_000
                                + " ms");
                    }
                }
            } finally {
                sessions.forEach(DenoiserSession::close);
            }
            for (int m = 0; m < models.size(); m++) {
                results.get(m).add(new Result(size, shape, Durations.ofNanos(nanos.get(m))));
            }
        }
        return results;
    }
}

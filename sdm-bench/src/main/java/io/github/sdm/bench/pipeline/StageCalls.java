package io.github.sdm.bench.pipeline;

import io.github.sdm.bench.perf.Durations;
import io.github.sdm.core.spi.DenoiserSession;
import io.github.sdm.core.spi.DenoiserSessionOptions;
import io.github.sdm.core.spi.DiffusionNetworks;
import io.github.sdm.core.spi.TextConditioning;
import io.github.sdm.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Times each network of several loaded models (the same weights on different backends, say DJL's and ONNX Runtime's)
 * stage by stage through the network SPI, in one process: per stage, the models take turns call by call, so all of
 * them share the machine's load alike. Every model gets the same inputs, and each stage's output is compared with the
 * first model's, so a ratio is only reported next to proof that the models compute the same thing.
 *
 * <p>Stages: the text encoder (batch 2, a prompt and an empty negative prompt, as under guidance), one UNet call per
 * image size (batch 2, timestep 500, conditioned on the first model's text encoding), the VAE decoder and the VAE
 * encoder (batch 1) at one image size.
 */
public final class StageCalls {
    /** The UNet's timestep in every call (mid-schedule, as the other UNet benches use). */
    public static final double TIMESTEP = 500;
    private static final int TOKENS = 77;
    private static final long BOS = 49406;
    private static final long EOS = 49407;
    private static final int PROMPT_TOKENS = 12;

    /**
     * One model under test.
     *
     * @param label its name in reports (e.g. the backend's)
     * @param networks its loaded networks
     */
    public record Contender(String label, DiffusionNetworks networks) {
    }

    /**
     * What to time.
     *
     * @param unetSizes image sides of the UNet calls, in pixels; empty for none
     * @param unetBatch the batch of each UNet call (2 under guidance)
     * @param vaeSize image side of the VAE calls in pixels; 0 for none
     * @param vaeEncode whether the VAE encoder (img2img) is timed too
     * @param warmup unmeasured calls per model and stage
     * @param runs measured calls per model and stage
     * @param seed the inputs' seed
     */
    public record Settings(List<Integer> unetSizes, int unetBatch, int vaeSize, boolean vaeEncode, int warmup, int runs,
            long seed) {
        /** Copies the sizes. */
        public Settings {
            unetSizes = List.copyOf(unetSizes);
        }
    }

    /**
     * One stage's calls.
     *
     * @param stage what was called, e.g. {@code UNet call, 512x512}
     * @param input the input's shape, e.g. {@code [2, 4, 64, 64]}
     * @param calls per model, in the contenders' order, the measured calls
     * @param maxAbsDifference per model, the largest absolute difference of its output from the first model's
     * @param peak the largest absolute value of the first model's output (the scale of the differences)
     */
    public record Stage(String stage, String input, List<Durations> calls, List<Double> maxAbsDifference, double peak) {
        /** Copies the lists. */
        public Stage {
            calls = List.copyOf(calls);
            maxAbsDifference = List.copyOf(maxAbsDifference);
        }
    }

    private StageCalls() {
    }

    /**
     * The first model's outputs and text encoding, which every later model's outputs are compared with and its UNet
     * calls conditioned on; shared by the runs of {@link #time} when the models are timed one after another.
     */
    public static final class Reference {
        private final Map<String, FloatTensor> outputs = new HashMap<>();
        private TextConditioning text;
    }

    /**
     * Times every stage of {@code settings} on each contender, the contenders taking turns call by call.
     *
     * @param contenders the models, the first being the reference of the differences (and of the reports' ratios)
     * @param settings what to time
     * @param progress where a line per call goes
     * @return one result per stage, in the order timed: text encoder, UNet sizes, VAE decode, VAE encode
     */
    public static List<Stage> time(List<Contender> contenders, Settings settings, Consumer<String> progress) {
        return time(contenders, settings, new Reference(), progress);
    }

    /**
     * Times every stage of {@code settings} on each contender, the contenders taking turns call by call, their outputs
     * compared with {@code reference}'s (which the first contender fills when it is empty). The inputs depend on the
     * seed only, so runs with one reference may time the models one after another.
     *
     * @param contenders the models
     * @param settings what to time
     * @param reference the outputs to compare with, filled by the first contender where empty
     * @param progress where a line per call goes
     * @return one result per stage, in the order timed: text encoder, UNet sizes, VAE decode, VAE encode
     */
    public static List<Stage> time(List<Contender> contenders, Settings settings, Reference reference,
            Consumer<String> progress) {
        if (contenders.isEmpty()) {
            throw new IllegalArgumentException("no model to time");
        }
        Random random = new Random(settings.seed());
        List<Stage> stages = new ArrayList<>();
        long[][] ids = promptIds(random);
        stages.add(stage("text encoder", "[2, " + TOKENS + "] token ids", contenders, settings, reference, progress,
                i -> networks(contenders, i).textEncoder().encode(ids).hiddenStates()));
        if (reference.text == null) {
            TextConditioning text = contenders.get(0).networks().textEncoder().encode(ids);
            // the prompt's encoding, repeated, for a batch other than the prompt and negative prompt's 2
            reference.text = text.batchSize() == settings.unetBatch() ? text
                    : text.slice(0, 1).repeatEach(settings.unetBatch());
        }
        int factor = contenders.get(0).networks().vae().downscaleFactor();
        for (int size : settings.unetSizes()) {
            FloatTensor latents = gaussian(random, settings.unetBatch(),
                    contenders.get(0).networks().unet().inChannels(), size / factor, size / factor);
            stages.add(unetStage(size, latents, reference, contenders, settings, progress));
        }
        if (settings.vaeSize() > 0) {
            int latentSize = settings.vaeSize() / factor;
            FloatTensor latents = gaussian(random, 1, contenders.get(0).networks().vae().latentChannels(), latentSize,
                    latentSize);
            stages.add(stage("VAE decode, " + settings.vaeSize() + "x" + settings.vaeSize(), shape(latents), contenders,
                    settings, reference, progress, i -> networks(contenders, i).vae().decode(latents)));
            if (settings.vaeEncode()) {
                FloatTensor image = uniform(random, 1, 3, settings.vaeSize(), settings.vaeSize());
                stages.add(stage("VAE encode, " + settings.vaeSize() + "x" + settings.vaeSize(), shape(image),
                        contenders, settings, reference, progress,
                        i -> networks(contenders, i).vae().encodeLatents(image)));
            }
        }
        return stages;
    }

    /**
     * The results of runs that timed the same stages on different models (with one {@link Reference}), as if the
     * models had been timed together: per stage, their calls and differences in the runs' order.
     *
     * @param runs the runs' results, each in stage order
     * @return one result per stage
     */
    public static List<Stage> join(List<List<Stage>> runs) {
        List<Stage> joined = new ArrayList<>();
        for (int i = 0; i < runs.get(0).size(); i++) {
            Stage first = runs.get(0).get(i);
            List<Durations> calls = new ArrayList<>();
            List<Double> differences = new ArrayList<>();
            for (List<Stage> run : runs) {
                Stage s = run.get(i);
                if (!s.stage().equals(first.stage())) {
                    throw new IllegalArgumentException("runs of different stages: " + s.stage() + ", " + first.stage());
                }
                calls.addAll(s.calls());
                differences.addAll(s.maxAbsDifference());
            }
            joined.add(new Stage(first.stage(), first.input(), calls, differences, first.peak()));
        }
        return joined;
    }

    private static Stage unetStage(int size, FloatTensor latents, Reference reference, List<Contender> contenders,
            Settings settings, Consumer<String> progress) {
        int calls = settings.warmup() + settings.runs();
        List<DenoiserSession> sessions = new ArrayList<>();
        try {
            for (Contender c : contenders) {
                sessions.add(c.networks().unet().openSession(new DenoiserSessionOptions(calls)));
            }
            int[] callIndex = new int[contenders.size()];
            return stage("UNet call, " + size + "x" + size, shape(latents), contenders, settings, reference, progress,
                    i -> sessions.get(i).predict(latents, TIMESTEP, callIndex[i]++, reference.text));
        } finally {
            sessions.forEach(DenoiserSession::close);
        }
    }

    /** Warm-up calls, then measured rounds of one call per contender in turn; outputs compared with the reference's. */
    private static Stage stage(String name, String input, List<Contender> contenders, Settings settings,
            Reference referenceRun, Consumer<String> progress, IntFunction<FloatTensor> call) {
        List<List<Long>> nanos = new ArrayList<>();
        List<FloatTensor> outputs = new ArrayList<>();
        contenders.forEach(c -> nanos.add(new ArrayList<>()));
        for (int round = -settings.warmup(); round < settings.runs(); round++) {
            for (int i = 0; i < contenders.size(); i++) {
                Contender c = contenders.get(i);
                long start = System.nanoTime();
                FloatTensor output = call.apply(i);
                long elapsed = System.nanoTime() - start;
                if (round >= 0) {
                    nanos.get(i).add(elapsed);
                }
                if (outputs.size() == i) {
                    outputs.add(output);
                }
                progress.accept(name + ", " + c.label() + (round < 0 ? " warm-up" : " call " + (round + 1)) + ": "
                        + elapsed / 1_000_000 + " ms");
            }
        }
        FloatTensor reference = referenceRun.outputs.computeIfAbsent(name, k -> outputs.get(0));
        List<Durations> calls = new ArrayList<>();
        List<Double> differences = new ArrayList<>();
        for (int i = 0; i < contenders.size(); i++) {
            calls.add(Durations.ofNanos(nanos.get(i)));
            FloatTensor output = outputs.get(i);
            if (!Arrays.equals(output.shape(), reference.shape())) {
                throw new IllegalStateException(name + ": " + contenders.get(i).label() + " returned "
                        + shape(output) + ", the reference " + shape(reference));
            }
            differences.add(InheritanceDeviation.maxAbs(reference, output));
        }
        return new Stage(name, input, calls, differences, peak(reference));
    }

    private static DiffusionNetworks networks(List<Contender> contenders, int index) {
        return contenders.get(index).networks();
    }

    private static double peak(FloatTensor t) {
        double peak = 0;
        for (float v : t.data()) {
            peak = Math.max(peak, Math.abs(v));
        }
        return peak;
    }

    /** A prompt of random tokens and an empty negative prompt, each BOS ... EOS padded with EOS, as CLIP's are. */
    private static long[][] promptIds(Random random) {
        long[][] ids = new long[2][TOKENS];
        for (long[] row : ids) {
            Arrays.fill(row, EOS);
            row[0] = BOS;
        }
        for (int t = 1; t <= PROMPT_TOKENS; t++) {
            ids[0][t] = 1 + random.nextInt((int) BOS - 1);
        }
        return ids;
    }

    private static FloatTensor gaussian(Random random, int... shape) {
        float[] values = new float[(int) FloatTensor.count(shape)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return new FloatTensor(values, shape);
    }

    private static FloatTensor uniform(Random random, int... shape) {
        float[] values = new float[(int) FloatTensor.count(shape)];
        for (int i = 0; i < values.length; i++) {
            values[i] = 2 * random.nextFloat() - 1;
        }
        return new FloatTensor(values, shape);
    }

    private static String shape(FloatTensor t) {
        return Arrays.toString(t.shape());
    }
}

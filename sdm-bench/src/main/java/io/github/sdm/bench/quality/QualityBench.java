package io.github.sdm.bench.quality;

import io.github.sdm.assembly.data.EmojiDataset;
import io.github.sdm.assembly.data.EmojiImage;
import io.github.sdm.assembly.switching.SecondUNet;
import io.github.sdm.assembly.switching.UNetSwitch;
import io.github.sdm.bench.model.UNetParameters;
import io.github.sdm.bench.pipeline.InheritanceDeviation;
import io.github.sdm.core.GenerationBuilder;
import io.github.sdm.core.GenerationResult;
import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.tensor.FloatTensor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Runs the yardstick: generates every prompt of the set with the full model (and with each variant), embeds
 * the pictures and the whole gallery of real emoji with one {@link ImageEmbedding}, and measures fidelity,
 * realism and deviation.
 */
public final class QualityBench {

    /** The sampling settings every generation shares. */
    public record Settings(String sampler, int steps, double guidance) {
    }

    /**
     * How one variant deviates from the full model over the whole prompt set, its own fidelity, and its costs.
     *
     * @param variant the variant's label
     * @param psnr of its pictures against the full model's, in dB over [0, 1] (infinite when identical)
     * @param meanAbs mean absolute difference of its pictures against the full model's
     * @param fidelity its retrieval accuracy on all prompts
     * @param realism Fréchet distance of its pictures against the whole gallery, under the full model's
     *     embedding and covariance rule (so equal pictures give the full model's distance exactly)
     * @param seconds wall time of generating the prompt set
     * @param unetCallSeconds mean wall time of one UNet call over the set (all UNets it calls)
     * @param unetParameters the parameters of the UNets it calls: a switch's second UNet first, then the model's;
     *     empty where a UNet has no folder to count
     */
    public record Deviation(String variant, double psnr, double meanAbs, Retrieval.Accuracy fidelity,
            FrechetDistance.Result realism, double seconds, double unetCallSeconds, List<Long> unetParameters) {
    }

    /**
     * @param training fidelity on the training names' prompts
     * @param heldOut fidelity on the held-out names' prompts
     * @param all fidelity on all prompts, to set the variants' fidelity against
     * @param realism Fréchet distance of all generated pictures against the whole gallery
     * @param deviations one per variant, in the order given
     * @param pictures the full model's pictures {@code [1, 3, H, W]} in [0, 1], one per prompt
     * @param seconds wall time of generating the prompt set with the full model (after one warm-up generation)
     * @param unetCallSeconds the full model's mean wall time of one UNet call over the set
     * @param unetParameters the full model's UNet parameters (empty where its UNet has no folder to count)
     */
    public record Result(Retrieval.Accuracy training, Retrieval.Accuracy heldOut, Retrieval.Accuracy all,
            FrechetDistance.Result realism,
            int realCount, List<Deviation> deviations, List<FloatTensor> pictures, double seconds,
            double unetCallSeconds, List<Long> unetParameters) {
    }

    private QualityBench() {
    }

    /**
     * @param sd the full model
     * @param secondUNets loads a switch variant's second UNet from its folder (a model or UNet folder); the bench
     *     closes it after the variant's prompt set
     */
    public static Result measure(StableDiffusion sd, EmojiDataset data, List<QualityPrompts.Prompt> prompts,
            Settings settings, List<QualityVariant> variants, ImageEmbedding embedding,
            Function<Path, SecondUNet> secondUNets) {
        TimedSet fullSet = generateTimed(sd, prompts, settings, UnaryOperator.identity());
        List<FloatTensor> full = fullSet.pictures();
        List<float[]> generated = full.stream().map(p -> embed(embedding, p)).toList();

        List<EmojiImage> galleryImages = new ArrayList<>(data.training());
        galleryImages.addAll(data.heldOut());
        List<float[]> gallery = new ArrayList<>(galleryImages.size());
        int realSide = embedding.realSide(full.get(0).dim(3));
        for (byte[] rgb : EmojiDataset.pixels(galleryImages, realSide)) {
            gallery.add(embedding.embed(unitRange(rgb), realSide));
        }
        Map<EmojiImage, Integer> index = new HashMap<>();
        for (int i = 0; i < galleryImages.size(); i++) {
            index.putIfAbsent(galleryImages.get(i), i);
        }
        int[] truth = prompts.stream().mapToInt(p -> index.get(p.target())).toArray();

        Retrieval.Accuracy training = fidelity(prompts, truth, generated, gallery, false);
        Retrieval.Accuracy heldOut = fidelity(prompts, truth, generated, gallery, true);
        FrechetDistance.Result realism = FrechetDistance.measure(generated, gallery);

        List<Deviation> deviations = new ArrayList<>();
        // the full model's pictures as one tensor, compared with every variant's
        FloatTensor reference = FloatTensor.concat(full.toArray(FloatTensor[]::new));
        for (QualityVariant variant : variants) {
            TimedSet variantSet = generateVariant(sd, prompts, settings, variant, secondUNets);
            List<FloatTensor> pictures = variantSet.pictures();
            FloatTensor changed = FloatTensor.concat(pictures.toArray(FloatTensor[]::new));
            List<float[]> embedded = pictures.stream().map(p -> embed(embedding, p)).toList();
            deviations.add(new Deviation(variant.label(), InheritanceDeviation.psnr(reference, changed),
                    InheritanceDeviation.meanAbs(reference, changed), Retrieval.measure(embedded, truth, gallery),
                    FrechetDistance.measure(embedded, gallery), variantSet.seconds(), variantSet.unetCallSeconds(),
                    unetParameters(variant.location(sd.location()), variant.unetSwitch())));
        }
        return new Result(training, heldOut, Retrieval.measure(generated, truth, gallery), realism, gallery.size(),
                deviations, full, fullSet.seconds(), fullSet.unetCallSeconds(),
                unetParameters(sd.location(), null));
    }

    /**
     * On the same loaded model, or on one loaded with the variant's components or weight precision (warmed up with one
     * generation, so its time compares with the full model's); a switch variant's second UNet is loaded for its
     * set and closed after it.
     */
    private static TimedSet generateVariant(StableDiffusion sd, List<QualityPrompts.Prompt> prompts,
            Settings settings, QualityVariant variant, Function<Path, SecondUNet> secondUNets) {
        StableDiffusion swapped = !variant.loadsItsOwnModel() ? null
                : StableDiffusion.load(variant.location(sd.location()), variant.loadOptions(LoadOptions.defaults()));
        try (swapped; SecondUNet second = variant.unetSwitch() == null ? null
                : secondUNets.apply(variant.unetSwitch().folder())) {
            UnaryOperator<GenerationBuilder> change = second == null ? variant.change()
                    : b -> variant.change().apply(b).with(new UNetSwitch(second, variant.unetSwitch().schedule()));
            return generateTimed(swapped != null ? swapped : sd, prompts, settings, change);
        }
    }

    /** The UNet parameters of the calls on {@code model}, with a switch's second UNet first; empty if not countable. */
    private static List<Long> unetParameters(ModelLocation model, QualityVariant.Switch unetSwitch) {
        List<Long> counts = new ArrayList<>();
        if (unetSwitch != null) {
            UNetParameters.countIfPresent(unetSwitch.folder()).ifPresent(counts::add);
        }
        // a single-file checkpoint's UNet has no folder of its own to count
        OptionalLong own = model.isSingleFile() && !model.isOverridden("unet") ? OptionalLong.empty()
                : UNetParameters.countIfPresent(model.componentFolder("unet"));
        if (own.isEmpty()) {
            return List.of();
        }
        counts.add(own.getAsLong());
        return counts;
    }

    /** A generated prompt set, its wall time and the mean wall time of its UNet calls. */
    private record TimedSet(List<FloatTensor> pictures, double seconds, double unetCallSeconds) {
    }

    /** The set after one untimed warm-up generation, so that no timed set pays for first-call costs. */
    private static TimedSet generateTimed(StableDiffusion sd, List<QualityPrompts.Prompt> prompts,
            Settings settings, UnaryOperator<GenerationBuilder> change) {
        generate(sd, prompts.subList(0, 1), settings, change);
        long start = System.nanoTime();
        List<GenerationResult> results = generate(sd, prompts, settings, change);
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Duration> calls = results.stream().flatMap(r -> r.timings().unetCalls().stream()).toList();
        double unetCallSeconds = calls.stream().mapToDouble(d -> d.toNanos() / 1e9).average().orElse(Double.NaN);
        return new TimedSet(results.stream().map(GenerationResult::decoded).toList(), seconds, unetCallSeconds);
    }

    private static List<GenerationResult> generate(StableDiffusion sd, List<QualityPrompts.Prompt> prompts,
            Settings settings, UnaryOperator<GenerationBuilder> change) {
        List<GenerationResult> out = new ArrayList<>(prompts.size());
        for (QualityPrompts.Prompt prompt : prompts) {
            GenerationBuilder builder = sd.txt2img(prompt.caption()).sampler(settings.sampler())
                    .steps(settings.steps()).guidance(settings.guidance()).seed(prompt.seed());
            out.add(change.apply(builder).generate());
        }
        return out;
    }

    /** Planar RGB bytes of a real emoji ({@code EmojiPixels}) as floats in [0, 1], as decoded pictures are. */
    static float[] unitRange(byte[] planarRgb) {
        float[] out = new float[planarRgb.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (planarRgb[i] & 0xff) / 255f;
        }
        return out;
    }

    /** The embedding of a decoded picture {@code [1, 3, H, W]} in [0, 1]. */
    private static float[] embed(ImageEmbedding embedding, FloatTensor decoded) {
        int height = decoded.dim(2);
        int width = decoded.dim(3);
        if (height != width) {
            throw new IllegalArgumentException("the quality yardstick needs square pictures; the model drew "
                    + width + "x" + height);
        }
        return embedding.embed(decoded.data(), width);
    }

    private static Retrieval.Accuracy fidelity(List<QualityPrompts.Prompt> prompts, int[] truth,
            List<float[]> generated, List<float[]> gallery, boolean heldOut) {
        List<float[]> queries = new ArrayList<>();
        List<Integer> trueIndices = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            if (prompts.get(i).heldOut() == heldOut) {
                queries.add(generated.get(i));
                trueIndices.add(truth[i]);
            }
        }
        return Retrieval.measure(queries, trueIndices.stream().mapToInt(Integer::intValue).toArray(), gallery);
    }
}

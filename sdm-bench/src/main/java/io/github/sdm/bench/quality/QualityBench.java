package io.github.sdm.bench.quality;

import io.github.sdm.assembly.data.EmojiDataset;
import io.github.sdm.assembly.data.EmojiImage;
import io.github.sdm.bench.pipeline.InheritanceDeviation;
import io.github.sdm.core.GenerationBuilder;
import io.github.sdm.core.GenerationResult;
import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the yardstick: generates every prompt of the set with the full model (and with each variant), embeds
 * the pictures and the whole gallery of real emoji with one {@link ImageEmbedding}, and measures fidelity,
 * realism and deviation.
 */
public final class QualityBench {

    /** The sampling settings every generation shares. */
    public record Settings(String sampler, int steps, double guidance) {
    }

    /** How one variant deviates from the full model over the whole prompt set, and its own fidelity. */
    public record Deviation(String variant, double psnr, double meanAbs, Retrieval.Accuracy fidelity) {
    }

    /**
     * @param training fidelity on the training names' prompts
     * @param heldOut fidelity on the held-out names' prompts
     * @param all fidelity on all prompts, to set the variants' fidelity against
     * @param realism Fréchet distance of all generated pictures against the whole gallery
     * @param deviations one per variant, in the order given
     */
    public record Result(Retrieval.Accuracy training, Retrieval.Accuracy heldOut, Retrieval.Accuracy all,
            FrechetDistance.Result realism,
            int realCount, List<Deviation> deviations) {
    }

    private QualityBench() {
    }

    public static Result measure(StableDiffusion sd, EmojiDataset data, List<QualityPrompts.Prompt> prompts,
            Settings settings, List<QualityVariant> variants, ImageEmbedding embedding) {
        List<FloatTensor> full = generate(sd, prompts, settings, null);
        List<float[]> generated = full.stream().map(p -> embed(embedding, p)).toList();

        List<EmojiImage> galleryImages = new ArrayList<>(data.training());
        galleryImages.addAll(data.heldOut());
        List<float[]> gallery = new ArrayList<>(galleryImages.size());
        int realSide = embedding.realSide(full.get(0).dim(3));
        for (byte[] rgb : EmojiDataset.pixels(galleryImages, realSide)) {
            float[] chw = new float[rgb.length];
            for (int i = 0; i < rgb.length; i++) {
                chw[i] = (rgb[i] & 0xff) / 255f;
            }
            gallery.add(embedding.embed(chw, realSide));
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
        for (QualityVariant variant : variants) {
            List<FloatTensor> pictures = generateVariant(sd, prompts, settings, variant);
            FloatTensor reference = FloatTensor.concat(full.toArray(FloatTensor[]::new));
            FloatTensor changed = FloatTensor.concat(pictures.toArray(FloatTensor[]::new));
            List<float[]> embedded = pictures.stream().map(p -> embed(embedding, p)).toList();
            deviations.add(new Deviation(variant.label(), InheritanceDeviation.psnr(reference, changed),
                    InheritanceDeviation.meanAbs(reference, changed), Retrieval.measure(embedded, truth, gallery)));
        }
        return new Result(training, heldOut, Retrieval.measure(generated, truth, gallery), realism, gallery.size(),
                deviations);
    }

    /** On the same loaded model, or on one loaded with the variant's component swapped in. */
    private static List<FloatTensor> generateVariant(StableDiffusion sd, List<QualityPrompts.Prompt> prompts,
            Settings settings, QualityVariant variant) {
        if (variant.component() == null) {
            return generate(sd, prompts, settings, variant);
        }
        try (StableDiffusion swapped = StableDiffusion.load(variant.location(sd.location()), LoadOptions.defaults())) {
            return generate(swapped, prompts, settings, variant);
        }
    }

    private static List<FloatTensor> generate(StableDiffusion sd, List<QualityPrompts.Prompt> prompts,
            Settings settings, QualityVariant variant) {
        List<FloatTensor> out = new ArrayList<>(prompts.size());
        for (QualityPrompts.Prompt prompt : prompts) {
            GenerationBuilder builder = sd.txt2img(prompt.caption()).sampler(settings.sampler())
                    .steps(settings.steps()).guidance(settings.guidance()).seed(prompt.seed());
            if (variant != null) {
                builder = variant.change().apply(builder);
            }
            GenerationResult result = builder.generate();
            out.add(result.decoded());
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

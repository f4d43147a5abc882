package io.github.sdm.bench.pipeline;

import io.github.sdm.core.GenerationResult;
import io.github.sdm.core.StableDiffusion;
import io.github.sdm.inheritance.FeatureInheritance;
import io.github.sdm.inheritance.InheritancePreset;
import io.github.sdm.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.List;

/**
 * How far each feature-inheritance preset moves a generation from full computation: the same request and
 * seed run once in full and once per preset, compared on the final latents and the decoded image.
 */
public final class InheritanceDeviation {

    /**
     * @param latentMaxAbs largest absolute difference of the final latents
     * @param latentMeanAbs mean absolute difference of the final latents
     * @param psnr of the decoded image against full computation's, in dB over the [0, 1] range
     */
    public record Row(String preset, String spec, double latentMaxAbs, double latentMeanAbs, double psnr) {
    }

    private InheritanceDeviation() {
    }

    public static List<Row> measure(StableDiffusion sd, String prompt, String sampler, int steps, double guidance,
            long seed) {
        GenerationResult full = sd.txt2img(prompt).sampler(sampler).steps(steps).guidance(guidance).seed(seed)
                .generate();
        List<Row> rows = new ArrayList<>();
        for (InheritancePreset preset : InheritancePreset.values()) {
            FeatureInheritance inheritance = preset.inheritance();
            GenerationResult reused = sd.txt2img(prompt).sampler(sampler).steps(steps).guidance(guidance).seed(seed)
                    .with(inheritance).generate();
            rows.add(new Row(preset.presetName(), preset.spec(), maxAbs(full.finalLatents(), reused.finalLatents()),
                    meanAbs(full.finalLatents(), reused.finalLatents()), psnr(full.decoded(), reused.decoded())));
        }
        return rows;
    }

    /** Largest absolute difference of two tensors of the same size. */
    public static double maxAbs(FloatTensor a, FloatTensor b) {
        double worst = 0;
        for (int i = 0; i < a.size(); i++) {
            worst = Math.max(worst, Math.abs(a.data()[i] - b.data()[i]));
        }
        return worst;
    }

    /** Mean absolute difference of two tensors of the same size. */
    public static double meanAbs(FloatTensor a, FloatTensor b) {
        double sum = 0;
        for (int i = 0; i < a.size(); i++) {
            sum += Math.abs(a.data()[i] - b.data()[i]);
        }
        return sum / a.size();
    }

    /** Peak signal-to-noise ratio of images in [0, 1]; infinite when they are equal. */
    public static double psnr(FloatTensor reference, FloatTensor image) {
        double squared = 0;
        for (int i = 0; i < reference.size(); i++) {
            double d = reference.data()[i] - image.data()[i];
            squared += d * d;
        }
        double mse = squared / reference.size();
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(1 / mse);
    }
}

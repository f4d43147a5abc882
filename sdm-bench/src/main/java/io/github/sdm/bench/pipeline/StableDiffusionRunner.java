package io.github.sdm.bench.pipeline;

import io.github.sdm.core.GenerationBuilder;
import io.github.sdm.core.GenerationResult;
import io.github.sdm.core.Mode;
import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.StageTimings;
import io.github.sdm.core.tensor.FloatTensor;

/**
 * Runs scenarios as txt2img or img2img generations of a loaded model and returns the pipeline's own stage
 * timings. Img2img starts from a synthetic image (a smooth colour gradient), since only the time counts.
 */
public final class StableDiffusionRunner implements GenerationRunner {
    private final StableDiffusion model;
    /** The final latents of the latest generation (null before the first): what a variant's deviation compares. */
    private volatile FloatTensor lastLatents;

    public StableDiffusionRunner(StableDiffusion model) {
        this.model = model;
    }

    @Override
    public StageTimings generate(BenchScenario scenario, BenchSettings settings) {
        GenerationBuilder request = (settings.mode() == Mode.IMG2IMG
                ? model.img2img(gradient(settings.width(), settings.height()), settings.prompt())
                        .strength(settings.strength())
                : model.txt2img(settings.prompt()))
                .sampler(scenario.sampler())
                .steps(scenario.steps())
                .guidance(scenario.guidance())
                .size(settings.width(), settings.height())
                .seed(settings.seed());
        GenerationResult result = scenario.requestOptions().apply(request).generate();
        lastLatents = result.finalLatents();
        return result.timings();
    }

    /** The final latents of the latest generation. */
    public FloatTensor lastLatents() {
        if (lastLatents == null) {
            throw new IllegalStateException("no generation has run yet");
        }
        return lastLatents;
    }

    /** {@code [1, 3, height, width]} in [0, 1]: red across, green down, blue their mean. */
    static FloatTensor gradient(int width, int height) {
        float[] data = new float[3 * height * width];
        int plane = height * width;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float red = x / (float) Math.max(1, width - 1);
                float green = y / (float) Math.max(1, height - 1);
                data[y * width + x] = red;
                data[plane + y * width + x] = green;
                data[2 * plane + y * width + x] = (red + green) / 2;
            }
        }
        return new FloatTensor(data, new int[] {1, 3, height, width});
    }
}

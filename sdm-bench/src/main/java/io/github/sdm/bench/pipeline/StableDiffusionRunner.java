package io.github.sdm.bench.pipeline;

import io.github.sdm.core.GenerationBuilder;
import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.StageTimings;

/** Runs scenarios as txt2img generations of a loaded model and returns the pipeline's own stage timings. */
public final class StableDiffusionRunner implements GenerationRunner {
    private final StableDiffusion model;

    public StableDiffusionRunner(StableDiffusion model) {
        this.model = model;
    }

    @Override
    public StageTimings generate(BenchScenario scenario, BenchSettings settings) {
        GenerationBuilder request = model.txt2img(settings.prompt())
                .sampler(scenario.sampler())
                .steps(scenario.steps())
                .guidance(scenario.guidance())
                .size(settings.width(), settings.height())
                .seed(settings.seed());
        return scenario.requestOptions().apply(request).generate().timings();
    }
}

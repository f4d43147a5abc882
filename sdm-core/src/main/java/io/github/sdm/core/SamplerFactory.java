package io.github.sdm.core;

import com.google.gson.JsonObject;
import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.samplers.NoiseSource;
import io.github.sdm.samplers.Sampler;
import io.github.sdm.samplers.SamplerConfig;
import io.github.sdm.samplers.SamplerConfigException;
import io.github.sdm.samplers.Samplers;
import io.github.sdm.samplers.SamplingRun;
import java.util.Map;

/** Builds the sampler a request names on top of the model folder's own {@code scheduler_config.json}. */
final class SamplerFactory {
    private final JsonObject modelSchedulerConfig;
    private final SamplerConfig baseConfig;

    public SamplerFactory(JsonObject modelSchedulerConfig) {
        this.modelSchedulerConfig = modelSchedulerConfig.deepCopy();
        this.baseConfig = SamplerConfig.of(this.modelSchedulerConfig);
    }

    /** @param name a sampler name, or null for the scheduler class the model folder names */
    public Sampler create(String name, Map<String, Object> overrides) {
        String chosen = name != null ? name : modelSchedulerConfig.get("_class_name").getAsString();
        try {
            return Samplers.create(chosen, baseConfig, overrides);
        } catch (SamplerConfigException e) {
            throw new InvalidRequestException(e.getMessage());
        }
    }

    /** The sampling run of one request: the full schedule for txt2img, its last {@code strength} for img2img. */
    SamplingRun start(GenerationRequest request, NoiseSource noise) {
        Sampler sampler = create(request.sampler(), request.samplerOverrides());
        try {
            SamplingRun run = request.mode() == Mode.TXT2IMG ? sampler.start(request.steps(), noise)
                    : sampler.startAtStrength(request.steps(), request.strength(), noise);
            return run.withBatchSize(request.batchSize());
        } catch (SamplerConfigException e) {
            throw new InvalidRequestException(e.getMessage());
        }
    }
}

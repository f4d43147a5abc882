package io.github.sdm.bench.pipeline;

import io.github.sdm.core.GenerationBuilder;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * One configuration of a generation to time. The prompt, image size and seed are common to a whole
 * bench run (see {@link BenchSettings}); a scenario says what varies between compared configurations.
 *
 * @param label how tables name it, e.g. {@code DPM-Solver++ 20}
 * @param sampler a sampler short name as {@code sdm generate --sampler} takes it, e.g. {@code dpmpp_2m}
 * @param guidance classifier-free guidance scale; at 1 or below the UNet runs once per step at batch 1
 * @param requestOptions anything else a scenario sets on the request, applied after sampler, steps and
 *     guidance (the extension point for comparisons of features such as feature inheritance)
 */
public record BenchScenario(String label, String sampler, int steps, double guidance,
        UnaryOperator<GenerationBuilder> requestOptions) {

    public BenchScenario {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(sampler, "sampler");
        Objects.requireNonNull(requestOptions, "requestOptions");
        if (steps < 1) {
            throw new IllegalArgumentException("scenario '" + label + "': steps must be >= 1, got " + steps);
        }
    }

    /** A scenario that sets only sampler, steps and guidance. */
    public BenchScenario(String label, String sampler, int steps, double guidance) {
        this(label, sampler, steps, guidance, UnaryOperator.identity());
    }
}

package io.github.sdm.unet;

import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.Precision;
import io.github.sdm.core.testkit.BackendParitySuite;
import io.github.sdm.core.testkit.Tolerance;

/**
 * The reference cases with the layer weights held in a reduced precision and computed in float32, within bounds
 * stated once per precision, so that every backend holding that precision meets the same ones. Stated from the
 * rounding each precision makes; each subclass's Javadoc gives the maxima measured on its backend.
 */
public abstract class WeightPrecisionParitySuite extends BackendParitySuite {
    /** Bounds on network outputs and final latents (of {@code max(1, peak)}) and on images (absolute). */
    private record Bounds(double network, double latents, double image) {
    }

    /** float16: 11 significant bits, relative rounding 4.9e-4 at most. */
    private static final Bounds FP16 = new Bounds(2e-3, 2e-3, 5e-3);
    /** bfloat16: 8 significant bits, about 8 times float16's rounding (held by the built ONNX graphs only). */
    private static final Bounds BF16 = new Bounds(2e-2, 1e-2, 4e-2);
    /** int8 with one scale per output channel: each weight off by up to half its channel's step. */
    private static final Bounds INT8 = new Bounds(5e-2, 3e-2, 0.1);

    private final Precision weights;
    private final Bounds bounds;

    protected WeightPrecisionParitySuite(Precision weights) {
        this.weights = weights;
        this.bounds = switch (weights) {
            case FP16 -> FP16;
            case BF16 -> BF16;
            case INT8 -> INT8;
            default -> throw new IllegalArgumentException("no reduced-precision bounds for " + weights);
        };
    }

    @Override
    protected LoadOptions loadOptions() {
        return super.loadOptions().withWeightPrecision(weights);
    }

    @Override
    protected Tolerance networkTolerance() {
        return Tolerance.ofPeakAtLeastOne(bounds.network());
    }

    @Override
    protected Tolerance latentTolerance() {
        return Tolerance.ofPeakAtLeastOne(bounds.latents());
    }

    @Override
    protected Tolerance imageTolerance() {
        return Tolerance.absolute(bounds.image());
    }
}

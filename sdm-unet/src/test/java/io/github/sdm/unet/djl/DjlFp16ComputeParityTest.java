package io.github.sdm.unet.djl;

import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.Precision;
import io.github.sdm.core.testkit.BackendParitySuite;
import io.github.sdm.core.testkit.Tolerance;

/**
 * Issue 14's half-precision parity test on the CPU: weights held and activations computed in float16, with
 * diffusers' fp32 islands (the tiny VAE's {@code force_upcast} keeps it in float32 with float16 weights widened per
 * layer), latents and sampler arithmetic in float32 (cast at every network's boundary). Every activation is rounded
 * to float16 on top of the weights. Stated bounds, with the maxima measured on tiny-sd-pipe: network outputs within
 * 3e-3 of {@code max(1, peak)} (measured 1.34e-3, the text encoder), final latents within 1e-2 of {@code max(1, peak)}
 * (measured 6.3e-3), images within 3e-2 (measured 1.4e-2). That the networks really compute in float16 is checked
 * part by part in {@code UNetPrecisionParityTest}.
 */
class DjlFp16ComputeParityTest extends BackendParitySuite {
    @Override
    protected String backendName() {
        return new DjlBackend().name();
    }

    @Override
    protected LoadOptions loadOptions() {
        return super.loadOptions().withWeightPrecision(Precision.FP16).withComputePrecision(Precision.FP16);
    }

    @Override
    protected Tolerance networkTolerance() {
        return Tolerance.ofPeakAtLeastOne(3e-3);
    }

    @Override
    protected Tolerance latentTolerance() {
        return Tolerance.ofPeakAtLeastOne(1e-2);
    }

    @Override
    protected Tolerance imageTolerance() {
        return Tolerance.absolute(3e-2);
    }
}

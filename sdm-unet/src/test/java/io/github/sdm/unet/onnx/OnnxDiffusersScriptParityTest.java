package io.github.sdm.unet.onnx;

import io.github.sdm.core.testkit.BackendParitySuite;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The backend-independent reference cases on the onnx backend, with diffusers' conversion-script export of the tiny
 * model. Its VAE encoder draws a sample inside the graph, so the cases that need deterministic latents (img2img, the
 * encoder's mean) do not apply: {@link OnnxAutoencoderTest} checks that encoder against the distribution instead.
 */
class OnnxDiffusersScriptParityTest extends BackendParitySuite {
    @Override
    protected String backendName() {
        return new OnnxBackend().name();
    }

    @Override
    protected Path modelFolder() {
        return OnnxExports.diffusersScript();
    }

    @Override
    protected Optional<String> randomEncoderReason() {
        return Optional.of("diffusers' conversion script exports the VAE encoder with a sample drawn inside the graph "
                + "(latent_sample), so its latents are random by nature and match no recorded reference");
    }
}

package io.github.sdm.unet.djl.vae;

import static io.github.sdm.unet.Fixtures.assertClose;
import static io.github.sdm.unet.Fixtures.floats;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.github.sdm.unet.djl.NetworkFixture;
import org.junit.jupiter.api.Test;

/**
 * The tiny VAE of {@code fixtures/vae} against diffusers 0.27.2: {@code latent_mean} and
 * {@code latent_logvar} of {@code encode(2*image-1)}, and {@code decode(z)}.
 */
class AutoencoderKLParityTest extends NetworkFixture<AutoencoderKL> {
    AutoencoderKLParityTest() {
        super("vae", AutoencoderKL::load);
    }

    @Test
    void encodesLikeDiffusers() {
        try (NDManager m = manager.newSubManager()) {
            NDArray image = floats(reference, "image", m).mul(2).sub(1);
            LatentDistribution latents = network.encode(image);
            assertClose(floats(reference, "latent_mean", m), latents.mean(), "latent_mean");
            assertClose(floats(reference, "latent_logvar", m), latents.logvar(), "latent_logvar");
        }
    }

    @Test
    void decodesLikeDiffusers() {
        try (NDManager m = manager.newSubManager()) {
            assertClose(floats(reference, "decoded", m), network.decode(floats(reference, "z", m)), "decoded");
        }
    }

    @Test
    void decodesEachImageOfABatchAlone() {
        try (NDManager m = manager.newSubManager()) {
            NDArray z = floats(reference, "z", m);
            long n = z.getShape().get(0); // the fixture's batch, followed by a second, scaled copy of it
            NDArray decoded = network.decode(NDArrays.concat(new NDList(z, z.mul(0.5f)), 0));
            assertClose(floats(reference, "decoded", m), decoded.get(new NDIndex("0:{}", n)), "the fixture's items");
            assertClose(network.decode(z.mul(0.5f)), decoded.get(new NDIndex("{}:{}", n, 2 * n)), "the scaled items");
        }
    }
}

package io.github.sdm.unet.vae;

import static io.github.sdm.unet.Fixtures.assertClose;
import static io.github.sdm.unet.Fixtures.floats;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.unet.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tiny VAE of {@code fixtures/vae} against diffusers 0.27.2: {@code latent_mean} and
 * {@code latent_logvar} of {@code encode(2*image-1)}, and {@code decode(z)}.
 */
class AutoencoderKLParityTest {
    private static NDManager manager;
    private static AutoencoderKL vae;
    private static SafetensorsFile reference;

    @BeforeAll
    static void load() {
        manager = NDManager.newBaseManager();
        vae = AutoencoderKL.load(Fixtures.fixture("vae"), manager);
        reference = SafetensorsFile.open(Fixtures.fixture("vae/reference.safetensors"));
    }

    @AfterAll
    static void release() {
        reference.close();
        vae.close();
        manager.close();
    }

    @Test
    void encodesLikeDiffusers() {
        try (NDManager m = manager.newSubManager()) {
            NDArray image = floats(reference, "image", m).mul(2).sub(1);
            LatentDistribution latents = vae.encode(image);
            assertClose(floats(reference, "latent_mean", m), latents.mean(), "latent_mean");
            assertClose(floats(reference, "latent_logvar", m), latents.logvar(), "latent_logvar");
        }
    }

    @Test
    void decodesLikeDiffusers() {
        try (NDManager m = manager.newSubManager()) {
            assertClose(floats(reference, "decoded", m), vae.decode(floats(reference, "z", m)), "decoded");
        }
    }

    @Test
    void decodesEachImageOfABatchAlone() {
        try (NDManager m = manager.newSubManager()) {
            NDArray z = floats(reference, "z", m);
            NDArray batch = NDArrays.concat(new NDList(z, z.mul(0.5f)), 0);
            NDArray decoded = vae.decode(batch);
            assertClose(floats(reference, "decoded", m), decoded.get(new NDIndex("0:1")), "batch item 0");
            assertClose(vae.decode(z.mul(0.5f)), decoded.get(new NDIndex("1:2")), "batch item 1");
        }
    }
}

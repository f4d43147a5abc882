package io.github.sdm.unet.djl.vae;

import static io.github.sdm.unet.Fixtures.assertClose;
import static io.github.sdm.unet.Fixtures.floats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.github.sdm.unet.djl.NetworkFixture;
import io.github.sdm.unet.djl.nn.ForwardContext;
import org.junit.jupiter.api.Test;

/**
 * The tiny TAESD of {@code fixtures/taesd} against diffusers 0.27.2's {@code AutoencoderTiny}:
 * {@code encode(image).latents} and {@code decode(z).sample}.
 */
class AutoencoderTinyParityTest extends NetworkFixture<AutoencoderTiny> {
    AutoencoderTinyParityTest() {
        super("taesd", AutoencoderTiny::load);
    }

    @Test
    void encodesLikeDiffusers() {
        try (NDManager m = manager.newSubManager()) {
            NDArray latents = network.encode(floats(reference, "image", m), ForwardContext.DEFAULT);
            assertClose(floats(reference, "latents", m), latents, "latents");
        }
    }

    @Test
    void decodesLikeDiffusers() {
        try (NDManager m = manager.newSubManager()) {
            NDArray decoded = network.decode(floats(reference, "z", m), ForwardContext.DEFAULT);
            assertClose(floats(reference, "decoded", m), decoded, "decoded");
        }
    }

    @Test
    void thePartTreeCarriesDiffusersSequenceIndices() {
        // EncoderTiny with num_encoder_blocks [1, 2, 1, 1]: conv, block, conv, block, block, conv, block, conv,
        // block, conv; DecoderTiny with [1, 1, 2, 1]: conv, relu, then per level blocks, upsample, conv
        assertEquals(10, network.encoder().layers().size());
        assertEquals(14, network.decoder().layers().size());
        assertEquals("decoder.layers.10", network.decoder().layers().get(10).name());
        assertEquals(TinyUpsample.class, network.decoder().layers().get(10).getClass());
    }

    @Test
    void scalesLatentsToBytesAndBackAsDiffusers() {
        try (NDManager m = manager.newSubManager()) {
            // latent_magnitude 3, latent_shift 0.5: x / 6 + 0.5 clamped to [0, 1]; back: (x - 0.5) * 6
            NDArray raw = m.create(new float[] {-4f, -3f, 0f, 1.5f, 3f, 7f});
            assertArrayEquals(new float[] {0f, 0f, 0.5f, 0.75f, 1f, 1f}, network.scaleLatents(raw).toFloatArray(), 1e-7f);
            assertArrayEquals(new float[] {-3f, 0f, 3f}, network.unscaleLatents(m.create(new float[] {0f, 0.5f, 1f}))
                    .toFloatArray(), 1e-6f);
        }
    }

    @Test
    void forwardDecodesTheByteQuantizedLatents() {
        try (NDManager m = manager.newSubManager()) {
            NDArray image = floats(reference, "image", m);
            NDArray latents = network.encode(image, ForwardContext.DEFAULT);
            NDArray stored = network.unscaleLatents(network.scaleLatents(latents).mul(255f).round().div(255f));
            NDArray expected = network.decode(stored, ForwardContext.DEFAULT);
            NDArray actual = network.forward(ForwardContext.DEFAULT, new NDList(image)).head();
            assertArrayEquals(expected.toFloatArray(), actual.toFloatArray());
        }
    }
}

package io.github.sdm.unet.djl.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.unet.config.AutoencoderKLConfig;
import io.github.sdm.unet.djl.nn.InputShapeException;
import java.util.List;
import org.junit.jupiter.api.Test;

class AutoencoderKLInputTest {
    private static final AutoencoderKLConfig TINY = new AutoencoderKLConfig(3, 3, List.of(8, 8), 1, 4, 4, 0.5, true, 0.0, true);

    @Test
    void rejectsWrongChannelsAndTypes() {
        try (NDManager manager = NDManager.newBaseManager(); AutoencoderKL vae = AutoencoderKL.random(TINY, 1, manager)) {
            InputShapeException e = assertThrows(InputShapeException.class,
                    () -> vae.decode(manager.zeros(new Shape(1, 3, 4, 4))));
            assertTrue(e.getMessage().contains("latents [B, 4, H, W]") && e.getMessage().contains("(1, 3, 4, 4)"),
                    e.getMessage());
            e = assertThrows(InputShapeException.class, () -> vae.encode(manager.zeros(new Shape(3, 8, 8))));
            assertTrue(e.getMessage().contains("image [B, 3, H, W]"), e.getMessage());
            e = assertThrows(InputShapeException.class,
                    () -> vae.encode(manager.zeros(new Shape(1, 3, 8, 8), DataType.FLOAT64)));
            assertTrue(e.getMessage().contains("float32"), e.getMessage());
        }
    }

    /** Odd sizes work as in diffusers: each downsampling rounds the size down. */
    @Test
    void handlesSizesThatAreNotMultiplesOfTheDownscaleFactor() {
        try (NDManager manager = NDManager.newBaseManager(); AutoencoderKL vae = AutoencoderKL.random(TINY, 1, manager)) {
            LatentDistribution latents = vae.encode(manager.zeros(new Shape(2, 3, 7, 10)));
            assertArrayEquals(new long[] {2, 4, 3, 5}, latents.mean().getShape().getShape());
            assertArrayEquals(new long[] {2, 3, 6, 10}, vae.decode(latents.mean()).getShape().getShape());
        }
    }
}

package io.github.sdm.unet.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.model.VaeTiling;
import io.github.sdm.core.spi.RequestSize;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.unet.config.AutoencoderKLConfig;
import io.github.sdm.unet.config.AutoencoderTinyConfig;
import io.github.sdm.unet.config.UNetConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The DJL backend's memory estimate, worked out by hand on the tiny model, and the refusals it gives. */
class ActivationEstimateTest {
    private static final Path MODEL = TestData.tinySd();
    private static final long SCORE_CHUNK = 16L << 20;

    @Test
    void theTinyModelAt64x64WithBatch2() {
        UNetConfig unet = UNetConfig.read(MODEL.resolve("unet/config.json"));
        AutoencoderKLConfig vae = AutoencoderKLConfig.read(MODEL.resolve("vae/config.json"));
        RequestSize size = new RequestSize(2, true, 4, 8, 8, 8);
        // UNet, channels 16/32/32/32, 2 layers per block, on the guided batch of 4 at 8x8, 4x4, 2x2, 1x1:
        // skips conv_in 16*64 + (2*16*64 + 16*16) + (2*32*16 + 32*4) + (2*32*4 + 32*1) + 2*32*1 = 4832 floats,
        // plus 10 times the largest level (16*64) = 10240
        assertEquals(4L * 4 * (4832 + 10240) + SCORE_CHUNK, ActivationEstimate.unetCall(unet, size));
        // VAE decoder, channels 32/32/32/16 from 8x8 to 64x64: the largest stage 32*64*64 = 131072, 4 times,
        // for the 2 images
        assertEquals(4L * 2 * 4 * 131072 + SCORE_CHUNK, ActivationEstimate.vaeDecode(vae, size));
        assertEquals(ActivationEstimate.vaeDecode(vae, size), ActivationEstimate.bytes(unet, vae, size));
    }

    @Test
    void aTaesdDecoderAt64x64WithBatch2() {
        AutoencoderTinyConfig taesd = AutoencoderTinyConfig.read(TestData.fixture("taesd/config.json"));
        // its last level, 16 channels at 64x64, 4 arrays at once, for the 2 images; no attention, no score chunk
        assertEquals(4L * 2 * 4 * 16 * 64 * 64, ActivationEstimate.tinyDecode(taesd, new RequestSize(2, true, 4, 8, 8, 8)));
    }

    @Test
    void aHugeBatchIsRefusedByTheEstimateBeforeAnyWork() {
        // without tiling: the plain decoder's whole-image activations are what the limit refuses
        try (StableDiffusion sd = StableDiffusion.load(ModelLocation.folder(MODEL),
                LoadOptions.defaults().withVaeTiling(VaeTiling.OFF))) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class,
                    () -> sd.txt2img("a cat").batchSize(100000).steps(2).seed(1).generate());
            assertTrue(e.getMessage().startsWith("batch 100000 at 64x64 needs about "), e.getMessage());
            System.setProperty("sdm.memoryLimitBytes", String.valueOf(1L << 30));
            try {
                // the decoder's largest stage: 4 images x 4 x 32 x 1024 x 1024 floats = 2 GiB, plus a score chunk
                e = assertThrows(InvalidRequestException.class, () -> sd.txt2img("a cat").size(1024, 1024)
                        .batchSize(4).steps(2).seed(1).generate());
                assertEquals("batch 4 at 1024x1024 needs about 2.0 GiB of native memory for the networks' "
                        + "activations, more than the limit of 1.0 GiB (-Dsdm.memoryLimitBytes); ask for fewer "
                        + "images or fewer pixels", e.getMessage());
            } finally {
                System.clearProperty("sdm.memoryLimitBytes");
            }
        }
    }
}

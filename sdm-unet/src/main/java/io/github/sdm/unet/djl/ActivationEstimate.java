package io.github.sdm.unet.djl;

import static io.github.sdm.core.spi.RequestSize.product;
import static io.github.sdm.core.spi.RequestSize.sum;

import io.github.sdm.core.spi.RequestSize;
import io.github.sdm.unet.config.AutoencoderKLConfig;
import io.github.sdm.unet.config.AutoencoderTinyConfig;
import io.github.sdm.unet.config.UNetConfig;
import io.github.sdm.unet.djl.nn.AttentionCore;
import java.util.List;

/**
 * The peak native memory of one generation on this backend, from the networks' configs: the larger of a UNet
 * call and the VAE's decoding (they do not overlap). Attention never holds more than one score chunk
 * ({@link AttentionCore#SCORE_CHUNK_BYTES}), so the activations of the largest level dominate. An estimate
 * for refusing absurd requests, not an exact account.
 */
final class ActivationEstimate {
    /**
     * Level-sized activations alive at once in the UNet's widest layer: a transformer's GEGLU projection is
     * 8 channels per channel, plus its input and output.
     */
    private static final int UNET_WORKING_SET = 10;
    /** In the VAE's resnets: input, normalized, convolved, residual sum. */
    private static final int VAE_WORKING_SET = 4;

    private ActivationEstimate() {
    }

    static long bytes(UNetConfig unet, AutoencoderKLConfig vae, RequestSize size) {
        return Math.max(unetCall(unet, size), vaeDecode(vae, size));
    }

    /** The skip connections the pass keeps, plus the working set of its largest level. */
    static long unetCall(UNetConfig config, RequestSize size) {
        List<Integer> channels = config.blockOutChannels();
        long h = size.latentHeight();
        long w = size.latentWidth();
        long skips = product(channels.get(0), h, w);
        long largestLevel = 0;
        for (int i = 0; i < channels.size(); i++) {
            long level = product(channels.get(i), h, w);
            largestLevel = Math.max(largestLevel, level);
            skips = sum(skips, product(config.layersPerBlock().get(i), level));
            if (i < channels.size() - 1) {
                // a downsampler (stride 2, padding 1) rounds an odd side up
                h = (h + 1) / 2;
                w = (w + 1) / 2;
                skips = sum(skips, product(channels.get(i), h, w));
            }
        }
        long floats = product(size.unetBatch(), sum(skips, product(UNET_WORKING_SET, largestLevel)));
        return sum(product(Float.BYTES, floats), AttentionCore.SCORE_CHUNK_BYTES);
    }

    /** The working set of the decoder's largest stage: each up block doubles the side, channels reversed. */
    static long vaeDecode(AutoencoderKLConfig config, RequestSize size) {
        List<Integer> channels = config.blockOutChannels();
        int blocks = channels.size();
        long largestStage = 0;
        for (int j = 0; j < blocks; j++) {
            int here = channels.get(blocks - 1 - j);
            int entering = channels.get(blocks - Math.max(j, 1));
            long side = 1L << j;
            largestStage = Math.max(largestStage, product(Math.max(here, entering), size.latentHeight(), side,
                    size.latentWidth(), side));
        }
        long floats = product(size.batch(), VAE_WORKING_SET, largestStage);
        return sum(product(Float.BYTES, floats), AttentionCore.SCORE_CHUNK_BYTES);
    }

    /**
     * TAESD's decoder (no attention): its last level runs at full resolution, a block's input, convolution,
     * ReLU and sum alive at once.
     */
    static long tinyDecode(AutoencoderTinyConfig config, RequestSize size) {
        List<Integer> channels = config.decoderBlockOutChannels();
        long side = config.downscaleFactor();
        long largestStage = product(channels.get(channels.size() - 1), size.latentHeight(), side, size.latentWidth(),
                side);
        return product(Float.BYTES, size.batch(), VAE_WORKING_SET, largestStage);
    }
}

package io.github.sdm.core;

import java.time.Duration;
import java.util.List;

/**
 * Wall-clock time of each stage of one generation.
 *
 * @param textEncoding tokenizing and encoding prompt and negative prompt
 * @param imageEncoding VAE encoding of the init image (zero for txt2img)
 * @param unetCalls each UNet call, in order
 * @param samplerSteps all sampler arithmetic together (scaling, guidance, steps)
 * @param imageDecoding VAE decoding of the final latents
 * @param networkResidency loading networks before their stages and releasing them after, under
 *     {@code Residency.PER_STAGE} (about zero for resident networks)
 * @param total the whole generation
 */
public record StageTimings(Duration textEncoding, Duration imageEncoding, List<Duration> unetCalls,
        Duration samplerSteps, Duration imageDecoding, Duration networkResidency, Duration total) {

    /**
     * Timings without network loading (resident networks).
     *
     * @param textEncoding tokenizing and encoding prompt and negative prompt
     * @param imageEncoding VAE encoding of the init image (zero for txt2img)
     * @param unetCalls each UNet call, in order
     * @param samplerSteps all sampler arithmetic together (scaling, guidance, steps)
     * @param imageDecoding VAE decoding of the final latents
     * @param total the whole generation
     */
    public StageTimings(Duration textEncoding, Duration imageEncoding, List<Duration> unetCalls,
            Duration samplerSteps, Duration imageDecoding, Duration total) {
        this(textEncoding, imageEncoding, unetCalls, samplerSteps, imageDecoding, Duration.ZERO, total);
    }

    /**
     * The time spent in the UNet.
     *
     * @return the sum of {@link #unetCalls()}
     */
    public Duration unetTotal() {
        return unetCalls.stream().reduce(Duration.ZERO, Duration::plus);
    }
}

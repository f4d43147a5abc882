package io.github.sdm.core;

import io.github.sdm.core.spi.SessionExtension;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.samplers.NoiseSource;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Everything one generation needs, validated. Built with {@link GenerationBuilder}
 * ({@code sd.txt2img(prompt)...}); the record itself is immutable and can be reused.
 *
 * @param sampler a sampler name ({@code "dpmpp_2m"}, {@code "EulerDiscreteScheduler"}, ...) or null for the
 *     model folder's own scheduler
 * @param samplerOverrides scheduler config fields set on top of the model's {@code scheduler_config.json}
 * @param seed the seed of the noise, or null to draw one (the result reports it)
 * @param width image width in pixels (multiple of 8), or 0 for the model's default / the init image's
 * @param initImage img2img: the image to start from, {@code [1, 3, H, W]} in [0, 1] (H and W multiples of 8)
 * @param initialLatents txt2img only: the starting latents before {@code init_noise_sigma} scaling,
 *     {@code [batch, 4, h/8, w/8]}; null draws them from the seed
 * @param noiseSource null for Gaussian noise from {@code seed}; tests feed recorded noise through it
 * @param extensions what the generation asks of the denoiser beyond plain calls (feature inheritance from
 *     {@code sdm-inheritance}, ...), at most one of each type; empty computes every UNet call in full
 */
public record GenerationRequest(Mode mode, String prompt, String negativePrompt, int steps, double guidanceScale,
        String sampler, Map<String, Object> samplerOverrides, Long seed, int batchSize, int width, int height,
        FloatTensor initImage, double strength, FloatTensor initialLatents, NoiseSource noiseSource,
        ProgressListener listener, List<SessionExtension> extensions) {

    public GenerationRequest {
        samplerOverrides = Map.copyOf(samplerOverrides);
        extensions = List.copyOf(extensions);
        listener = listener == null ? ProgressListener.NONE : listener;
        negativePrompt = negativePrompt == null ? "" : negativePrompt;
        if (mode == null) {
            throw new InvalidRequestException("mode must not be null");
        }
        if (prompt == null) {
            throw new InvalidRequestException("prompt must not be null (use \"\" for an unconditional image)");
        }
        if (steps <= 0) {
            throw new InvalidRequestException("steps must be > 0, got " + steps);
        }
        if (!Double.isFinite(guidanceScale) || guidanceScale < 0) {
            throw new InvalidRequestException("guidance scale must be a finite number >= 0, got " + guidanceScale);
        }
        if (batchSize < 1) {
            throw new InvalidRequestException("batch size must be >= 1, got " + batchSize);
        }
        requireSize("width", width);
        requireSize("height", height);
        if (mode == Mode.IMG2IMG) {
            if (initImage == null) {
                throw new InvalidRequestException("img2img needs an init image");
            }
            int[] s = initImage.shape();
            if (s.length != 4 || s[0] != 1 || s[1] != 3) {
                throw new InvalidRequestException("init image tensor must be [1, 3, H, W], got " + Arrays.toString(s));
            }
            if (s[2] % 8 != 0 || s[3] % 8 != 0) {
                throw new InvalidRequestException("init image is " + s[3] + "x" + s[2]
                        + ", not a multiple of 8; give size(width, height) to resize it");
            }
            if ((width > 0 && width != s[3]) || (height > 0 && height != s[2])) {
                throw new InvalidRequestException("init image is " + s[3] + "x" + s[2] + " but the request asks for "
                        + width + "x" + height);
            }
            if (!(strength >= 0 && strength <= 1)) {
                throw new InvalidRequestException("strength must be in [0, 1], got " + strength);
            }
            if (initialLatents != null) {
                throw new InvalidRequestException("initial latents apply to txt2img only; img2img starts from the init image");
            }
        }
    }

    private static void requireSize(String name, int value) {
        if (value < 0 || value % 8 != 0) {
            throw new InvalidRequestException(name + " must be a positive multiple of 8 (the VAE downsamples by 8), got "
                    + value);
        }
    }

    /** Classifier-free guidance runs only above scale 1, as in diffusers. */
    public boolean usesGuidance() {
        return guidanceScale > 1.0;
    }
}

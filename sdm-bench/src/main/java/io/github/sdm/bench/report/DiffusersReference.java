package io.github.sdm.bench.report;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * diffusers' own time for one SD 1.5 UNet call on this project's reference machine (CPU, float32,
 * batch 2 as under classifier-free guidance), the figure sdm's UNet is compared with. Measured by the
 * project with diffusers 0.27.2 / PyTorch on the same 2-core machine, not by this code.
 */
public final class DiffusersReference {
    private static final Map<Integer, Duration> UNET_CALL_BATCH2 = Map.of(
            256, Duration.ofMillis(5_300),
            512, Duration.ofMillis(22_600));

    private DiffusersReference() {
    }

    /** The reference time of one batch-2 UNet call at this image size, if there is one. */
    public static Optional<Duration> unetCall(int imageSize, int batch) {
        return batch == 2 ? Optional.ofNullable(UNET_CALL_BATCH2.get(imageSize)) : Optional.empty();
    }
}

package io.github.sdm.core;

import static io.github.sdm.core.spi.RequestSize.product;
import static io.github.sdm.core.spi.RequestSize.sum;

import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.core.spi.DiffusionNetworks;
import io.github.sdm.core.spi.RequestSize;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Locale;

/**
 * Refuses, before it starts, a generation too big for memory, with the estimate and the limit, instead of an
 * {@code OutOfMemoryError} (or a {@code NegativeArraySizeException} from a size that wrapped around) halfway.
 * Three limits: every tensor crossing into Java is one {@code float[]}, so none may hold more than a Java array;
 * the Java arrays together must fit the JVM's maximum heap; the networks' activations (the backend's estimate,
 * {@link DiffusionNetworks#activationBytes}) must fit the native limit, the machine's physical memory unless
 * the system property {@value #NATIVE_LIMIT_PROPERTY} sets another. Each request is judged alone: generations
 * running at once share the memory.
 */
final class MemoryCheck {
    /** System property: bytes of native memory one generation's activations may take. */
    static final String NATIVE_LIMIT_PROPERTY = "sdm.memoryLimitBytes";
    /** The longest array HotSpot allocates (a few header words below {@code Integer.MAX_VALUE}). */
    static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    private MemoryCheck() {
    }

    /**
     * @param conditioningFloatsPerImage floats of one image's text conditioning (both halves under guidance)
     * @throws InvalidRequestException naming the estimate and the limit it exceeds
     */
    static void require(RequestSize size, long conditioningFloatsPerImage, DiffusionNetworks networks) {
        String request = "batch " + size.batch() + " at " + size.imageWidth() + "x" + size.imageHeight();
        long unetLatents = product(size.unetBatch(), size.latentChannels(), size.latentHeight(), size.latentWidth());
        long conditioning = product(size.batch(), conditioningFloatsPerImage);
        requireArray(request, "the UNet's input latents", unetLatents);
        requireArray(request, "the text conditioning", conditioning);
        requireArray(request, "the decoded images", size.imageFloats());

        // per step a few latent-sized arrays live at once (UNet input and prediction, guided prediction, step
        // result); the decoded images as floats twice (decoder output, [0, 1] pixels) and as 8-bit RGB ints
        long floats = sum(product(2, unetLatents), product(2, size.latentFloats()), conditioning,
                product(2, size.imageFloats()));
        long heap = sum(product(Float.BYTES, floats), product(Integer.BYTES, size.batch(), size.imageHeight(),
                size.imageWidth()));
        long maxHeap = Runtime.getRuntime().maxMemory();
        if (heap > maxHeap) {
            throw new InvalidRequestException(request + " needs about " + bytes(heap) + " of Java heap (latents, "
                    + "text conditioning, decoded images) but the JVM's maximum heap (-Xmx) is " + bytes(maxHeap)
                    + "; ask for fewer images or fewer pixels, or give the JVM more heap");
        }
        long activations = networks.activationBytes(size);
        String limitProperty = System.getProperty(NATIVE_LIMIT_PROPERTY);
        long limit = limitProperty != null ? parseLimit(limitProperty) : physicalMemory();
        if (activations > limit) {
            throw new InvalidRequestException(request + " needs about " + bytes(activations) + " of native memory "
                    + "for the networks' activations, more than the limit of " + bytes(limit) + " ("
                    + (limitProperty != null ? "-D" + NATIVE_LIMIT_PROPERTY : "the machine's physical memory; -D"
                            + NATIVE_LIMIT_PROPERTY + " sets another") + "); ask for fewer images or fewer pixels");
        }
    }

    private static void requireArray(String request, String what, long floats) {
        if (floats > MAX_ARRAY_LENGTH) {
            throw new InvalidRequestException(request + ": " + what + " would hold " + count(floats) + " floats ("
                    + bytes(product(Float.BYTES, floats)) + "), more than a Java array holds (" + count(MAX_ARRAY_LENGTH)
                    + "); ask for fewer images or fewer pixels");
        }
    }

    private static long parseLimit(String value) {
        try {
            long limit = Long.parseLong(value.trim());
            if (limit > 0) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidRequestException("system property " + NATIVE_LIMIT_PROPERTY
                + " must be a positive number of bytes, got '" + value + "'");
    }

    /** The machine's (or the container's) memory; no limit where the JVM cannot tell. */
    private static long physicalMemory() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean memory && memory.getTotalMemorySize() > 0) {
            return memory.getTotalMemorySize();
        }
        return Long.MAX_VALUE;
    }

    private static String count(long n) {
        return n == Long.MAX_VALUE ? "more than 9.2e18" : String.format(Locale.ROOT, "%,d", n);
    }

    /** Bytes in binary units: "12.3 GiB". */
    static String bytes(long n) {
        if (n == Long.MAX_VALUE) {
            return "more than 8 EiB";
        }
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double value = n;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? n + " bytes" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}

package io.github.sdm.bench.model;

import io.github.sdm.core.safetensors.SafetensorsWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** The parameter count of a UNet on disk: the elements of every tensor in its weights (shards included). */
public final class UNetParameters {
    private UNetParameters() {
    }

    /**
     * @param folder a model folder (its {@code unet/} is counted) or a UNet folder
     * @return the UNet's parameters
     * @throws io.github.sdm.core.error.ModelFormatException if the folder holds no UNet weights
     */
    public static long count(Path folder) {
        Path unet = Files.isDirectory(folder.resolve("unet")) ? folder.resolve("unet") : folder;
        try (SafetensorsWeights weights = SafetensorsWeights.openComponent(unet)) {
            return weights.names().stream().mapToLong(name -> weights.info(name).elementCount()).sum();
        }
    }

    /** As {@link #count(Path)}, or empty when {@code folder} holds no UNet folder (a single-file checkpoint's model). */
    public static OptionalLong countIfPresent(Path folder) {
        if (folder == null || !Files.isDirectory(folder)) {
            return OptionalLong.empty();
        }
        Path unet = Files.isDirectory(folder.resolve("unet")) ? folder.resolve("unet") : folder;
        return Files.isRegularFile(unet.resolve("config.json")) ? OptionalLong.of(count(unet)) : OptionalLong.empty();
    }
}

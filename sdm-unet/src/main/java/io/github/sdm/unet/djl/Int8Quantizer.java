package io.github.sdm.unet.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.model.ConfigFile;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.model.Precision;
import io.github.sdm.core.safetensors.ComponentWeightFiles;
import io.github.sdm.core.safetensors.SafetensorsWeights;
import io.github.sdm.unet.config.AutoencoderKLConfig;
import io.github.sdm.unet.config.AutoencoderTinyConfig;
import io.github.sdm.unet.config.CLIPTextConfig;
import io.github.sdm.unet.config.UNetConfig;
import io.github.sdm.unet.djl.clip.CLIPTextModel;
import io.github.sdm.unet.djl.nn.HeldWeightsWriter;
import io.github.sdm.unet.djl.nn.Network;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;
import io.github.sdm.unet.djl.unet.UNetLayerProvider;
import io.github.sdm.unet.djl.vae.AutoencoderKL;
import io.github.sdm.unet.djl.vae.AutoencoderTiny;
import io.github.sdm.unet.weights.Int8WeightFiles;
import io.github.sdm.unet.weights.WeightSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes the int8 weight file ({@link Int8WeightFiles}) of each network of a diffusers model folder: the network is
 * loaded from its float weights with {@link Precision#INT8} storage, exactly as a load with {@code --weights int8}
 * quantizes it, and what it then holds is written out. A later load with int8 storage maps that file instead of
 * quantizing again, so the values are the same, bit for bit, and weight paging can page them.
 */
public final class Int8Quantizer {
    private static final List<String> NETWORKS = List.of("text_encoder", "unet", "vae");

    /**
     * One written file.
     *
     * @param component the network's folder name ({@code unet})
     * @param file the int8 weight file
     * @param bytes its size
     * @param source the float weight file (or shard index) it was quantized from
     */
    public record Written(String component, Path file, long bytes, Path source) {
    }

    private Int8Quantizer() {
    }

    /**
     * Quantizes each network of {@code location} whose folder exists (a component given as its own folder, such as a
     * TAESD, gets its file in that folder), replacing an int8 file written before.
     *
     * @param progress told as each network starts
     * @return the files written, in the order text encoder, UNet, VAE
     */
    public static List<Written> quantize(ModelLocation location, Consumer<String> progress) {
        if (location.isSingleFile()) {
            throw new ModelFormatException("quantize writes int8 weight files into diffusers component folders; "
                    + "the single-file checkpoint " + location.checkpoint() + " has none (its networks are "
                    + "quantized at load with --weights int8)");
        }
        location.requireExists();
        DjlEngineSetup.beforeEngineStart(false);
        List<Written> written = new ArrayList<>();
        for (String name : NETWORKS) {
            Path folder = location.componentFolder(name);
            if (!Files.isDirectory(folder)) {
                // a partial model, such as make-model --unet-only (a given component folder was checked above)
                progress.accept(name + ": no folder " + folder + ", skipped");
                continue;
            }
            progress.accept(name + ": quantizing " + folder);
            written.add(quantizeFolder(name, folder));
        }
        return written;
    }

    private static Written quantizeFolder(String name, Path folder) {
        Path floatFile = ComponentWeightFiles.locate(folder, null);
        if (Int8WeightFiles.isInt8File(floatFile)) {
            throw new ModelFormatException(folder + " has no float weights to quantize, only the int8 weight file "
                    + floatFile.getFileName());
        }
        Path target = Int8WeightFiles.fileFor(floatFile);
        Map<String, String> metadata = Map.of("format", "pt", Int8WeightFiles.METADATA_KEY, Int8WeightFiles.SCHEME,
                Int8WeightFiles.SOURCE_METADATA_KEY, floatFile.getFileName().toString());
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                SafetensorsWeights weights = SafetensorsWeights.open(floatFile);
                Network network = load(name, folder, WeightSource.of(weights), manager)) {
            HeldWeightsWriter.write(network, target, metadata);
        }
        try {
            return new Written(name, target, Files.size(target), floatFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + target, e);
        }
    }

    /** The network of component {@code name}, its weights held as int8 (as {@link DjlBackend} builds it). */
    private static Network load(String name, Path folder, WeightSource weights, NDManager manager) {
        return switch (name) {
            case "text_encoder" -> CLIPTextModel.load(CLIPTextConfig.read(folder.resolve(CLIPTextModel.CONFIG_FILE)),
                    weights, manager, Precision.INT8);
            case "unet" -> {
                ConfigFile config = ConfigFile.read(folder.resolve(UNet2DConditionModel.CONFIG_FILE));
                yield UNet2DConditionModel.load(UNetConfig.from(config), UNetLayerProvider.forConfig(config), weights,
                        manager, Precision.INT8);
            }
            case "vae" -> {
                ConfigFile config = ConfigFile.read(folder.resolve(AutoencoderKL.CONFIG_FILE));
                yield AutoencoderTinyConfig.CLASS_NAME.equals(config.className())
                        ? AutoencoderTiny.load(AutoencoderTinyConfig.from(config), weights, manager, Precision.INT8)
                        : AutoencoderKL.load(AutoencoderKLConfig.from(config), weights, manager, Precision.INT8);
            }
            default -> throw new IllegalArgumentException("not a network: " + name);
        };
    }
}

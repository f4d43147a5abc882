package io.github.sdm.unet.weights;

import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.safetensors.ComponentWeightFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The int8 weight file of a component folder: the weights a network holds with int8 weight storage, written once
 * ({@code sdm quantize}) so that loading maps them instead of quantizing the float weights again.
 *
 * <p>The file is the folder's {@code int8} variant, named as diffusers names variants
 * ({@code diffusion_pytorch_model.int8.safetensors}, {@code model.int8.safetensors}). Its keys are the float file's:
 * a convolution or linear weight {@code <key>} is stored as {@code I8} values of the weight's shape, with one
 * {@code F32} scale per output channel under {@code <key>_scale} (shape {@code [out]}; the value is
 * {@code <key>[o, ...] * <key>_scale[o]}, symmetric, no zero point, as compressed-tensors names its per-channel
 * scales); every other tensor (biases, norms, embeddings) is {@code F32}, the type int8 storage holds it in.
 */
public final class Int8WeightFiles {
    /** The variant name of the file ({@code diffusion_pytorch_model.int8.safetensors}). */
    public static final String VARIANT = "int8";
    /** What follows a weight's key in the key of its scales. */
    public static final String SCALE_SUFFIX = "_scale";
    /** The metadata entry naming the quantization, written into the file's header. */
    public static final String METADATA_KEY = "sdm.quantization";
    /** The value of {@link #METADATA_KEY}. */
    public static final String SCHEME = "int8 weight-only, symmetric, per output channel: <key> (I8) * <key>"
            + SCALE_SUFFIX + " (F32 [out]); scale = max|w[o]| / 127";
    /** The metadata entry naming the float file the int8 one was quantized from. */
    public static final String SOURCE_METADATA_KEY = "sdm.quantized_from";

    private Int8WeightFiles() {
    }

    /** The key of the scales of the int8 weight {@code weightKey}. */
    public static String scaleKey(String weightKey) {
        return weightKey + SCALE_SUFFIX;
    }

    /** The folder's int8 weight file, if it has one. */
    public static Optional<Path> find(Path componentFolder) {
        for (String name : ComponentWeightFiles.candidateNames(VARIANT)) {
            Path candidate = componentFolder.resolve(name);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Whether {@code file} is named as an int8 weight file. */
    public static boolean isInt8File(Path file) {
        String name = file.getFileName().toString();
        return ComponentWeightFiles.candidateNames(VARIANT).contains(name);
    }

    /**
     * Where the int8 file of the float weight file (or shard index) {@code floatFile} goes: its folder, its base name
     * ({@code diffusion_pytorch_model} or {@code model}) with the variant, as one file (never sharded).
     */
    public static Path fileFor(Path floatFile) {
        String name = floatFile.getFileName().toString();
        int dot = name.indexOf('.');
        String base = dot < 0 ? name : name.substring(0, dot);
        String target = base + "." + VARIANT + ".safetensors";
        if (!ComponentWeightFiles.candidateNames(VARIANT).contains(target)) {
            throw new ModelFormatException(floatFile + ": not a diffusers or transformers weight file name "
                    + "(diffusion_pytorch_model.* or model.*), so its int8 variant has no name");
        }
        return floatFile.resolveSibling(target);
    }
}

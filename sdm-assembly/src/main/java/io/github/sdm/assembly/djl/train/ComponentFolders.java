package io.github.sdm.assembly.djl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.safetensors.DType;
import io.github.sdm.core.safetensors.SafetensorsWeights;
import io.github.sdm.core.safetensors.SafetensorsWriter;
import io.github.sdm.core.safetensors.TensorInfo;
import io.github.sdm.core.safetensors.TensorSource;
import io.github.sdm.unet.config.CLIPTextConfig;
import io.github.sdm.unet.djl.clip.CLIPTextModel;
import io.github.sdm.unet.djl.nn.Network;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;
import io.github.sdm.unet.djl.vae.AutoencoderKL;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Diffusers / transformers component folders ({@code config.json} and the weights file under its standard
 * name) of the three networks a Stable Diffusion model trains: written from weight arrays, read back as
 * networks. Checkpoints and exported models use the same folders.
 */
public final class ComponentFolders {
    public static final String UNET = "unet";
    public static final String VAE = "vae";
    public static final String TEXT_ENCODER = "text_encoder";

    private ComponentFolders() {
    }

    /** The weights file name of {@code component}. */
    public static String weightsFile(String component) {
        return switch (component) {
            case UNET -> UNet2DConditionModel.WEIGHTS_FILE;
            case VAE -> AutoencoderKL.WEIGHTS_FILE;
            case TEXT_ENCODER -> CLIPTextModel.WEIGHTS_FILE;
            default -> throw new IllegalArgumentException("unknown component '" + component
                    + "'; expected unet, vae or text_encoder");
        };
    }

    /** Loads {@code component}'s network from its folder. */
    public static Network load(String component, Path folder, NDManager manager) {
        return switch (component) {
            case UNET -> UNet2DConditionModel.load(folder, manager);
            case VAE -> AutoencoderKL.load(folder, manager);
            case TEXT_ENCODER -> CLIPTextModel.load(folder, manager);
            default -> throw new IllegalArgumentException("unknown component '" + component + "'");
        };
    }

    /**
     * Writes {@code folder/config.json} and the weights ({@code weights}: checkpoint key to array) in
     * {@code dtype} (F32 or F16). A text encoder also gets transformers' {@code position_ids} buffer.
     */
    public static void write(Path folder, String component, String configJson, Map<String, NDArray> weights,
            DType dtype) {
        List<TensorSource> tensors = new ArrayList<>();
        weights.forEach((key, array) -> tensors.add(
                TensorSource.ofFloats(key, dtype, array::toFloatArray, array.getShape().getShape())));
        if (component.equals(TEXT_ENCODER)) {
            int positions = CLIPTextConfig.parse(configJson, folder + "/config.json").maxPositionEmbeddings();
            long[] ids = new long[positions];
            for (int i = 0; i < positions; i++) {
                ids[i] = i;
            }
            tensors.add(TensorSource.ofLongs(CLIPTextModel.POSITION_IDS_KEY, ids, 1, positions));
        }
        try {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve("config.json"), configJson, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SdmException("Cannot write " + folder.resolve("config.json") + ": " + e, e);
        }
        SafetensorsWriter.write(folder.resolve(weightsFile(component)), Map.of("format", "pt"), tensors);
    }

    /** The weights of {@code network}, by checkpoint key. */
    public static Map<String, NDArray> weightsOf(Network network) {
        Map<String, NDArray> weights = new LinkedHashMap<>();
        network.allParameters().forEach((key, p) -> weights.put(key, p.value()));
        return weights;
    }

    /** Writes named float32 arrays to one safetensors file (optimizer and EMA state). */
    static void writeArrays(Path file, Map<String, NDArray> arrays) {
        List<TensorSource> tensors = new ArrayList<>();
        arrays.forEach((name, array) -> tensors.add(
                TensorSource.ofFloats(name, DType.F32, array::toFloatArray, array.getShape().getShape())));
        SafetensorsWriter.write(file, tensors);
    }

    /** Reads what {@link #writeArrays} wrote: values and shapes by name. */
    static void readArrays(Path file, Map<String, float[]> values, Map<String, long[]> shapes) {
        try (SafetensorsWeights weights = SafetensorsWeights.open(file)) {
            for (String name : weights.names()) {
                TensorInfo info = weights.info(name);
                values.put(name, weights.floats(name));
                shapes.put(name, info.shape());
            }
        }
    }
}

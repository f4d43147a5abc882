package io.github.sdm.assembly.djl.train;

import ai.djl.ndarray.NDArray;
import io.github.sdm.assembly.train.ModelConfigs;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.safetensors.DType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes trained weights as a standard diffusers Stable Diffusion folder: {@code model_index.json},
 * {@code unet/}, {@code vae/}, {@code text_encoder/} (config plus safetensors), {@code tokenizer/} (the CLIP
 * tokenizer files, copied), {@code scheduler/} and a {@code README.md} with the data's attribution. Configs
 * carry diffusers' and transformers' fields only, so diffusers loads the folder as well as sdm does.
 */
public final class DiffusersExport {
    static final List<String> TOKENIZER_FILES =
            List.of("vocab.json", "merges.txt", "special_tokens_map.json", "tokenizer_config.json");

    private DiffusersExport() {
    }

    /** The EMA's weights of {@code component}, keyed by checkpoint key (the {@code <component>/} prefix removed). */
    public static Map<String, NDArray> emaWeights(WeightEma ema, String component) {
        String prefix = component + "/";
        Map<String, NDArray> weights = new LinkedHashMap<>();
        ema.averages().forEach((key, array) -> {
            if (key.startsWith(prefix)) {
                weights.put(key.substring(prefix.length()), array);
            }
        });
        if (weights.isEmpty()) {
            throw new IllegalArgumentException("the EMA holds no weights of component '" + component + "'");
        }
        return weights;
    }

    /** Writes {@code model/vae/} (stage 1's result). */
    public static void writeVae(Path model, String vaeConfigJson, Map<String, NDArray> weights, DType dtype) {
        ComponentFolders.write(model.resolve(ComponentFolders.VAE), ComponentFolders.VAE, vaeConfigJson, weights,
                dtype);
    }

    /**
     * Completes {@code model} (whose {@code vae/} stage 1 wrote) with the UNet, the text encoder, the tokenizer,
     * the scheduler, {@code model_index.json} and the README.
     */
    public static void writeRest(Path model, ModelConfigs configs, Map<String, NDArray> unet,
            Map<String, NDArray> textEncoder, Path tokenizerFolder, DType dtype, String readme) {
        if (!Files.isRegularFile(model.resolve(ComponentFolders.VAE).resolve("config.json"))) {
            throw new SdmException(model + " has no vae/config.json: train the VAE stage first");
        }
        ComponentFolders.write(model.resolve(ComponentFolders.UNET), ComponentFolders.UNET, configs.unet(), unet,
                dtype);
        ComponentFolders.write(model.resolve(ComponentFolders.TEXT_ENCODER), ComponentFolders.TEXT_ENCODER,
                configs.textEncoder(), textEncoder, dtype);
        try {
            Path tokenizer = Files.createDirectories(model.resolve("tokenizer"));
            for (String file : TOKENIZER_FILES) {
                Path from = tokenizerFolder.resolve(file);
                if (!Files.isRegularFile(from)) {
                    throw new SdmException("tokenizer folder " + tokenizerFolder + " has no " + file);
                }
                Files.copy(from, tokenizer.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            Path scheduler = Files.createDirectories(model.resolve("scheduler"));
            Files.writeString(scheduler.resolve("scheduler_config.json"), ModelConfigs.schedulerConfig(),
                    StandardCharsets.UTF_8);
            Files.writeString(model.resolve("model_index.json"), ModelConfigs.modelIndex(), StandardCharsets.UTF_8);
            Files.writeString(model.resolve("README.md"), readme, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SdmException("Cannot write model folder " + model + ": " + e, e);
        }
    }
}

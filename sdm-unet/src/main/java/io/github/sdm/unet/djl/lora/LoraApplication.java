package io.github.sdm.unet.djl.lora;

import ai.djl.ndarray.NDManager;
import io.github.sdm.core.model.LoraAdapter;
import io.github.sdm.unet.djl.nn.Network;
import io.github.sdm.unet.lora.LoraAdapters;
import io.github.sdm.unet.lora.LoraNetwork;
import io.github.sdm.unet.lora.LoraTargets;
import io.github.sdm.unet.lora.WeightedLayer;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/** The two routes of LoRA adapters into a loaded model: merged into the weights, or per generation. */
public final class LoraApplication {
    private LoraApplication() {
    }

    /**
     * Merges {@code adapters} into the weights of the text encoder and the UNet (the fast route: no cost per
     * call). Call before generations start; {@link MergedLora#unmerge()} puts the original weights back.
     *
     * @return one handle per network the adapters touch
     * @throws io.github.sdm.unet.lora.LoraFormatException naming the file and key that do not fit
     */
    public static List<MergedLora> merge(List<LoraAdapter> adapters, Network textEncoder, Network unet) {
        LoraTargets targets = LoraParts.targets(textEncoder, unet);
        List<WeightedLayer> layers = LoraAdapters.read(adapters, targets, EnumSet.allOf(LoraNetwork.class));
        return List.of(MergedLora.merge(textEncoder, LoraAdapters.of(layers, LoraNetwork.TEXT_ENCODER)),
                MergedLora.merge(unet, LoraAdapters.of(layers, LoraNetwork.UNET)));
    }

    /**
     * The interceptor that applies {@code adapters} to {@code network}'s calls of one generation, or empty when
     * they adapt none of its parts.
     *
     * @param targets the model's adaptable parts (both networks, so every key of a file is matched)
     * @param parent the adapters' arrays live in a sub-manager of this one until the interceptor is closed
     */
    public static Optional<LoraInterceptor> perGeneration(List<LoraAdapter> adapters, LoraTargets targets,
            LoraNetwork which, Network network, NDManager parent) {
        List<WeightedLayer> layers = LoraAdapters.read(adapters, targets, EnumSet.of(which));
        if (layers.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(LoraInterceptor.of(network, layers, parent));
    }
}

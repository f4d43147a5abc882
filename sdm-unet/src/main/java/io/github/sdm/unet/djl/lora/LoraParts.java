package io.github.sdm.unet.djl.lora;

import io.github.sdm.unet.djl.nn.Conv2d;
import io.github.sdm.unet.djl.nn.Linear;
import io.github.sdm.unet.djl.nn.Network;
import io.github.sdm.unet.djl.nn.Part;
import io.github.sdm.unet.lora.LoraNetwork;
import io.github.sdm.unet.lora.LoraTargets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The parts a LoRA can adapt: the linear and convolution parts of a network's own part tree. */
public final class LoraParts {
    private LoraParts() {
    }

    /** The adaptable parts of a model's text encoder and UNet, with their weight shapes. */
    public static LoraTargets targets(Network textEncoder, Network unet) {
        return new LoraTargets().with(LoraNetwork.TEXT_ENCODER, shapes(textEncoder))
                .with(LoraNetwork.UNET, shapes(unet));
    }

    /** The linear and convolution parts of {@code network}, by name. */
    public static Map<String, Part> byName(Network network) {
        Map<String, Part> out = new LinkedHashMap<>();
        for (Part part : network.walk()) {
            if (part instanceof Linear || part instanceof Conv2d) {
                out.put(part.name(), part);
            }
        }
        return out;
    }

    private static Map<String, long[]> shapes(Network network) {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, Part> e : byName(network).entrySet()) {
            out.put(e.getKey(), e.getValue().parameters().get(weightKey(e.getKey())).shape());
        }
        return out;
    }

    /** The full key of a part's weight. */
    static String weightKey(String part) {
        return part + ".weight";
    }
}

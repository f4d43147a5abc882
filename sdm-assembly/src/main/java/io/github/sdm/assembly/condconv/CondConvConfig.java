package io.github.sdm.assembly.condconv;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.sdm.core.model.ConfigFile;
import java.util.ArrayList;
import java.util.List;

/**
 * The ME-CondConv field of a UNet's {@code config.json}:
 * {@code "sdm_condconv": {"experts": 4, "resnets": ["down_blocks.1.resnets.0", "up_blocks.2"]}}.
 * Every {@code conv1} and {@code conv2} of a resnet under one of the {@code resnets} prefixes (a resnet, or a
 * whole block: {@code down_blocks.1}, {@code mid_block}) becomes a multi-expert conditional convolution with
 * {@code experts} kernels. diffusers does not know the field: such a UNet loads in sdm only.
 *
 * @param experts the kernels each such convolution mixes, at least 2
 * @param resnets part-name prefixes of the resnets whose convolutions are conditional
 */
public record CondConvConfig(int experts, List<String> resnets) {
    /** The config key. */
    public static final String KEY = "sdm_condconv";

    public CondConvConfig {
        resnets = List.copyOf(resnets);
    }

    /** Reads {@link #KEY} of a UNet config; a missing or bad value is an error naming the key and the value. */
    public static CondConvConfig from(ConfigFile config) {
        if (!config.has(KEY) || !config.json().get(KEY).isJsonObject()) {
            throw config.invalid(KEY, "expected an object {\"experts\": N, \"resnets\": [\"down_blocks.1.resnets.0\", ...]}");
        }
        JsonObject field = config.json().getAsJsonObject(KEY);
        JsonElement experts = field.get("experts");
        if (experts == null || !experts.isJsonPrimitive() || !experts.getAsJsonPrimitive().isNumber()
                || experts.getAsDouble() != Math.rint(experts.getAsDouble()) || experts.getAsInt() < 2) {
            throw config.invalid(KEY, "'experts' must be an integer of at least 2");
        }
        JsonElement list = field.get("resnets");
        if (list == null || !list.isJsonArray() || list.getAsJsonArray().isEmpty()) {
            throw config.invalid(KEY, "'resnets' must be a non-empty list of part names such as \"down_blocks.1.resnets.0\"");
        }
        List<String> resnets = new ArrayList<>();
        for (JsonElement e : (JsonArray) list) {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString() || e.getAsString().isBlank()) {
                throw config.invalid(KEY, "'resnets' holds " + e + ", not a part name");
            }
            resnets.add(e.getAsString());
        }
        return new CondConvConfig(experts.getAsInt(), resnets);
    }

    /** The field as JSON, to add to a UNet config under {@link #KEY}. */
    public JsonObject toJson() {
        JsonObject field = new JsonObject();
        field.addProperty("experts", experts);
        JsonArray list = new JsonArray();
        resnets.forEach(list::add);
        field.add("resnets", list);
        return field;
    }

    /**
     * Whether the resnet convolution named {@code convName} ({@code <resnet>.conv1}, {@code <resnet>.conv2};
     * never a {@code conv_shortcut}) is conditional.
     */
    public boolean isConditional(String convName) {
        int dot = convName.lastIndexOf('.');
        String local = convName.substring(dot + 1);
        if (dot < 0 || !(local.equals("conv1") || local.equals("conv2"))) {
            return false;
        }
        String resnet = convName.substring(0, dot);
        return resnets.stream().anyMatch(p -> resnet.equals(p) || resnet.startsWith(p + "."));
    }
}

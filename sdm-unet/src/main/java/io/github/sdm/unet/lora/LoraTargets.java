package io.github.sdm.unet.lora;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The layers a LoRA file may adapt: per network, each linear or convolution part's name (the diffusers key
 * prefix, e.g. {@code down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q}) with its weight's shape
 * ({@code [out, in]} or {@code [out, in, k, k]}). kohya's underscored paths are resolved through the
 * underscored form of these names, never by guessing where the dots were.
 */
public final class LoraTargets {
    private final Map<LoraNetwork, Map<String, long[]>> shapes = new EnumMap<>(LoraNetwork.class);
    private final Map<LoraNetwork, Map<String, String>> byUnderscoredName = new EnumMap<>(LoraNetwork.class);
    private final Map<LoraNetwork, Set<String>> ambiguous = new EnumMap<>(LoraNetwork.class);

    /** Adds a network's adaptable parts: part name to weight shape. */
    public LoraTargets with(LoraNetwork network, Map<String, long[]> partShapes) {
        Map<String, long[]> copy = new LinkedHashMap<>();
        Map<String, String> underscored = new HashMap<>();
        Set<String> clashes = new HashSet<>();
        for (Map.Entry<String, long[]> e : partShapes.entrySet()) {
            copy.put(e.getKey(), e.getValue().clone());
            String flat = e.getKey().replace('.', '_');
            if (underscored.putIfAbsent(flat, e.getKey()) != null) {
                clashes.add(flat);
            }
        }
        shapes.put(network, copy);
        byUnderscoredName.put(network, underscored);
        ambiguous.put(network, clashes);
        return this;
    }

    /** The weight shape of a part, if the network has that adaptable part. */
    public Optional<long[]> shape(LoraNetwork network, String partName) {
        long[] shape = shapes.getOrDefault(network, Map.of()).get(partName);
        return Optional.ofNullable(shape == null ? null : shape.clone());
    }

    /**
     * The part whose name, with dots as underscores, is {@code underscoredPath}.
     *
     * @throws LoraFormatException if two parts share that underscored form
     */
    public Optional<String> partOfUnderscoredPath(LoraNetwork network, String underscoredPath, String key) {
        if (ambiguous.getOrDefault(network, Set.of()).contains(underscoredPath)) {
            throw new LoraFormatException(key + ": '" + underscoredPath + "' is the underscored form of more than one "
                    + network + " part");
        }
        return Optional.ofNullable(byUnderscoredName.getOrDefault(network, Map.of()).get(underscoredPath));
    }

    /** Whether the network was added at all (a model without it cannot take its layers). */
    public boolean has(LoraNetwork network) {
        return shapes.containsKey(network);
    }
}

package io.github.sdm.unet.graph;

import io.github.sdm.unet.lora.WeightedLayer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX model sdm built from a network's config: the serialized {@code ModelProto} (nodes, inputs, outputs and the
 * small constants) and the weights it reads from the checkpoint ({@link GraphWeight}), which the engine supplies when
 * it opens the model.
 *
 * @param description what the graph is and where its weights come from, for messages
 * @param model the {@code ModelProto} bytes
 * @param weights the initializers declared without data, to be supplied from the checkpoint
 */
public record BuiltGraph(String description, byte[] model, List<GraphWeight> weights) {
    private static final String WEIGHT_SUFFIX = ".weight";

    public BuiltGraph {
        weights = List.copyOf(weights);
    }

    /**
     * The parts a LoRA can adapt: each linear and convolution layer (the part name, its weight's key without
     * {@code .weight}) with its weight's shape, {@code [out, in]} or {@code [out, in, k, k]}: the names and shapes of
     * the djl backend's part tree.
     */
    public Map<String, long[]> layerShapes() {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (GraphWeight w : weights) {
            if (w.layer() && w.key().endsWith(WEIGHT_SUFFIX)) {
                out.put(w.key().substring(0, w.key().length() - WEIGHT_SUFFIX.length()), w.dims());
            }
        }
        return out;
    }

    /**
     * The same graph with {@code adapters} merged into the weights of the parts they adapt (the model itself does not
     * change: the merge happens when the engine is handed the weights, {@link GraphWeight#contents()}).
     *
     * @param adapters layers of parts of this graph ({@link #layerShapes()})
     * @throws IllegalArgumentException if a layer adapts a part this graph does not have
     */
    public BuiltGraph withLora(List<WeightedLayer> adapters) {
        if (adapters.isEmpty()) {
            return this;
        }
        Map<String, List<WeightedLayer>> byKey = new LinkedHashMap<>();
        for (WeightedLayer a : adapters) {
            byKey.computeIfAbsent(a.layer().part() + WEIGHT_SUFFIX, k -> new ArrayList<>()).add(a);
        }
        List<GraphWeight> merged = new ArrayList<>();
        for (GraphWeight w : weights) {
            List<WeightedLayer> mine = w.layer() ? byKey.remove(w.key()) : null;
            merged.add(mine == null ? w : w.withLora(mine));
        }
        if (!byKey.isEmpty()) {
            throw new IllegalArgumentException(description + " has no layer weight " + byKey.keySet().iterator().next());
        }
        return new BuiltGraph(description, model, merged);
    }
}

package io.github.sdm.unet.graph;

import java.util.List;

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
    public BuiltGraph {
        weights = List.copyOf(weights);
    }
}

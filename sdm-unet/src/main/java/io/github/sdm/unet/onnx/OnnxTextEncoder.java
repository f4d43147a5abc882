package io.github.sdm.unet.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.core.spi.TextConditioning;
import io.github.sdm.core.spi.TextEncoderNetwork;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.unet.graph.ClipTextGraph;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The exported CLIP text encoder: token ids (int32 or int64, as the graph takes them) in, {@code last_hidden_state}
 * and, where the export has it, {@code pooler_output} out. An export runs clip skip 1 only: an earlier layer's hidden
 * states need that layer's output and the final layer norm's weights, which the graph does not expose; a graph sdm
 * built has them as outputs ({@link ClipTextGraph#CLIP_SKIP_OUTPUT}), so every clip skip runs on it.
 */
final class OnnxTextEncoder implements TextEncoderNetwork {
    private final OnnxGraph graph;
    private final OrtEnvironment environment;
    private final String idsInput;
    private final String hiddenStatesOutput;
    private final String pooledOutput;
    private final int numHiddenLayers;

    /**
     * @param numHiddenLayers the transformer's layer count: {@code text_encoder/config.json}'s, else the graph's
     *     attention operators ({@link AttentionLayers})
     */
    OnnxTextEncoder(OnnxGraph graph, OrtEnvironment environment, int numHiddenLayers) {
        this.graph = graph;
        this.environment = environment;
        this.idsInput = graph.input("input_ids", 2, "token ids");
        graph.requireOnlyInputs("text encoder", Set.of(idsInput));
        this.hiddenStatesOutput = graph.output("last_hidden_state", 3, "hidden states");
        this.pooledOutput = graph.outputs().containsKey("pooler_output") ? "pooler_output" : null;
        this.numHiddenLayers = numHiddenLayers;
    }

    @Override
    public TextConditioning encode(long[][] inputIds, int clipSkip) {
        String skipOutput = ClipTextGraph.CLIP_SKIP_OUTPUT + clipSkip;
        if (clipSkip != 1 && graph.outputs().containsKey(skipOutput)) {
            // a graph sdm built: the earlier layer's normalized output is one of its outputs
            try (OnnxTensor ids = OnnxValues.ids(environment, inputIds, graph.inputs().get(idsInput),
                    graph.file() + " input '" + idsInput + "'")) {
                Map<String, FloatTensor> out = graph.run(Map.of(idsInput, ids), Set.of(skipOutput, pooledOutput));
                return new TextConditioning(out.get(skipOutput), out.get(pooledOutput), Map.of());
            }
        }
        if (clipSkip != 1) {
            throw new InvalidRequestException("clip skip " + clipSkip + " does not run on the onnx backend: "
                    + graph.file() + " gives the last layer's normalized hidden states only (" + hiddenStatesOutput
                    + "), and an earlier layer needs that layer's output and the final layer norm, which an ONNX "
                    + "graph does not expose; use clip skip 1, or the djl backend on the diffusers folder");
        }
        Set<String> wanted = new LinkedHashSet<>();
        wanted.add(hiddenStatesOutput);
        if (pooledOutput != null) {
            wanted.add(pooledOutput);
        }
        try (OnnxTensor ids = OnnxValues.ids(environment, inputIds, graph.inputs().get(idsInput),
                graph.file() + " input '" + idsInput + "'")) {
            Map<String, FloatTensor> out = graph.run(Map.of(idsInput, ids), wanted);
            return new TextConditioning(out.get(hiddenStatesOutput), pooledOutput == null ? null : out.get(pooledOutput),
                    Map.of());
        }
    }

    /** The graph it runs. */
    OnnxGraph graph() {
        return graph;
    }

    @Override
    public int numHiddenLayers() {
        return numHiddenLayers;
    }
}

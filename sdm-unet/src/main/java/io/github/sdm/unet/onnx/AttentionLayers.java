package io.github.sdm.unet.onnx;

import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.unet.onnx.ProtoFields.Field;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * How many transformer layers an exported text encoder has, for an export without {@code text_encoder/config.json}:
 * the graph's attention operators, one per CLIP layer ({@code Softmax} as PyTorch exports the attention, or ONNX
 * Runtime's fused {@code Attention} / {@code MultiHeadAttention}). The file is read through a read-only mapping.
 */
final class AttentionLayers {
    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_NODE = 1;
    private static final int NODE_OP_TYPE = 4;
    private static final Set<String> ATTENTION = Set.of("Softmax", "Attention", "MultiHeadAttention");

    private AttentionLayers() {
    }

    /**
     * The attention operators of the graph in {@code file}.
     *
     * @return their count; 0 when the graph has none or is not a well-formed graph file (ONNX Runtime then reports
     *     what is wrong with it)
     * @throws ModelFormatException if the file cannot be read
     */
    static int count(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer model = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            int count = 0;
            for (Field graph : ProtoFields.read(model, 0, model.limit())) {
                if (graph.number() != MODEL_GRAPH) {
                    continue;
                }
                for (Field node : ProtoFields.read(model, graph)) {
                    if (node.number() == GRAPH_NODE && isAttention(model, node)) {
                        count++;
                    }
                }
            }
            return count;
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return 0;
        } catch (IOException e) {
            throw new ModelFormatException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean isAttention(ByteBuffer model, Field node) {
        for (Field field : ProtoFields.read(model, node)) {
            if (field.number() == NODE_OP_TYPE) {
                return ATTENTION.contains(ProtoFields.string(model, field));
            }
        }
        return false;
    }
}

package io.github.sdm.unet.onnx;

import io.github.sdm.unet.onnx.ProtoFields.Field;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Lets a UNet exported with an integer timestep (optimum's exports: int64) take the sampler's fractional timesteps
 * (Euler's with {@code linspace} spacing, Karras sigmas). PyTorch's export of diffusers' UNet only reshapes the
 * timestep ({@code Expand}, {@code Unsqueeze}) and casts it to float for the sinusoidal embedding; the integer type is
 * an artefact of the export, and feeding it the whole timestep below would condition the UNet on another time than
 * the sampler's. Where the graph provably does only that (every use of the input reaches a {@code Cast} to float
 * through shape-only operators, no subgraph and no graph output reads it), the input's declared type is changed to
 * float in an in-memory copy of the graph file ({@link GraphSettings#openUNet}), and the {@code Cast} becomes a no-op. Any other graph is left alone
 * and gets the timestep cast to its integer type ({@link OnnxValues#timestep}).
 */
final class TimestepWidening {
    /** ONNX's {@code TensorProto.DataType.FLOAT}, the byte that declares an input float. */
    static final byte FLOAT_TYPE = 1;
    // ONNX TensorProto.DataType values
    private static final int FLOAT = FLOAT_TYPE;
    private static final int INT32 = 6;
    private static final int INT64 = 7;
    // field numbers of onnx.proto3: ModelProto.graph, GraphProto.node/input/output, NodeProto.input/output/op_type/
    // attribute, ValueInfoProto.name/type, TypeProto.tensor_type, TypeProto.Tensor.elem_type, AttributeProto.name/i
    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INPUT = 11;
    private static final int GRAPH_OUTPUT = 12;
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int VALUE_NAME = 1;
    private static final int VALUE_TYPE = 2;
    private static final int TYPE_TENSOR = 1;
    private static final int TENSOR_ELEM_TYPE = 1;
    private static final int ATTRIBUTE_NAME = 1;
    private static final int ATTRIBUTE_INT = 3;
    /** Operators that pass their first input's values through, reshaped, with its element type. */
    private static final Set<String> SHAPE_ONLY = Set.of("Expand", "Unsqueeze", "Squeeze", "Reshape", "Identity",
            "Flatten");
    /** Operators with subgraphs, which may read any value by name. */
    private static final Set<String> WITH_SUBGRAPHS = Set.of("If", "Loop", "Scan");

    private record Node(String opType, List<String> inputs, List<String> outputs, Long castTo) {
    }

    private TimestepWidening() {
    }

    /**
     * Where to declare {@code input} float in {@code model}, when it is an integer input the graph only reshapes and
     * casts to float: the offset of its one-byte element type, to be set to {@link #FLOAT_TYPE} in a copy.
     *
     * @param model the {@code .onnx} file's bytes (not changed)
     * @param input the timestep input's name
     * @return the byte's offset, or empty when the input is not one to widen
     * @throws IllegalArgumentException if the bytes are not a well-formed graph file
     */
    static OptionalInt elementTypeOffset(ByteBuffer model, String input) {
        Field graph = first(ProtoFields.read(model, 0, model.limit()), MODEL_GRAPH);
        if (graph == null) {
            return OptionalInt.empty();
        }
        List<Field> graphFields = ProtoFields.read(model, graph);
        Field elemType = null;
        Set<String> graphOutputs = new HashSet<>();
        List<Node> nodes = new ArrayList<>();
        for (Field field : graphFields) {
            if (field.number() == GRAPH_INPUT && input.equals(name(model, field))) {
                elemType = elemType(model, field);
            } else if (field.number() == GRAPH_OUTPUT) {
                graphOutputs.add(name(model, field));
            } else if (field.number() == GRAPH_NODE) {
                nodes.add(node(model, field));
            }
        }
        boolean integer = elemType != null && (elemType.value() == INT64 || elemType.value() == INT32);
        if (!integer || elemType.end() - elemType.start() != 1 || !onlyCastToFloat(input, nodes, graphOutputs)) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(elemType.start()); // a one-byte varint, replaced by another: no length changes
    }

    /** Whether every use of {@code input} reaches a Cast to float through shape-only operators. */
    private static boolean onlyCastToFloat(String input, List<Node> nodes, Set<String> graphOutputs) {
        if (nodes.stream().anyMatch(n -> WITH_SUBGRAPHS.contains(n.opType()))) {
            return false;
        }
        Deque<String> values = new ArrayDeque<>(List.of(input));
        boolean cast = false;
        while (!values.isEmpty()) {
            String value = values.pop();
            if (graphOutputs.contains(value)) {
                return false;
            }
            for (Node node : nodes) {
                int index = node.inputs().indexOf(value);
                if (index < 0) {
                    continue;
                }
                if (node.opType().equals("Cast") && node.castTo() != null && node.castTo() == FLOAT) {
                    cast = true;
                } else if (index == 0 && node.inputs().lastIndexOf(value) == 0 && SHAPE_ONLY.contains(node.opType())) {
                    values.addAll(node.outputs());
                } else {
                    return false;
                }
            }
        }
        return cast;
    }

    private static Node node(ByteBuffer model, Field field) {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        String opType = "";
        Long castTo = null;
        for (Field f : ProtoFields.read(model, field)) {
            switch (f.number()) {
                case NODE_INPUT -> inputs.add(ProtoFields.string(model, f));
                case NODE_OUTPUT -> outputs.add(ProtoFields.string(model, f));
                case NODE_OP_TYPE -> opType = ProtoFields.string(model, f);
                case NODE_ATTRIBUTE -> {
                    List<Field> attribute = ProtoFields.read(model, f);
                    Field name = first(attribute, ATTRIBUTE_NAME);
                    Field value = first(attribute, ATTRIBUTE_INT);
                    if (name != null && value != null && ProtoFields.string(model, name).equals("to")) {
                        castTo = value.value();
                    }
                }
                default -> {
                }
            }
        }
        return new Node(opType, inputs, outputs, castTo);
    }

    private static String name(ByteBuffer model, Field valueInfo) {
        Field name = first(ProtoFields.read(model, valueInfo), VALUE_NAME);
        return name == null ? "" : ProtoFields.string(model, name);
    }

    /** The varint field holding a graph input's element type, or null when it has none. */
    private static Field elemType(ByteBuffer model, Field valueInfo) {
        Field type = first(ProtoFields.read(model, valueInfo), VALUE_TYPE);
        Field tensor = type == null ? null : first(ProtoFields.read(model, type), TYPE_TENSOR);
        return tensor == null ? null : first(ProtoFields.read(model, tensor), TENSOR_ELEM_TYPE);
    }

    private static Field first(List<Field> fields, int number) {
        return fields.stream().filter(f -> f.number() == number).findFirst().orElse(null);
    }
}

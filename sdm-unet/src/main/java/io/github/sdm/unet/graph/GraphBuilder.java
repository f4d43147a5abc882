package io.github.sdm.unet.graph;

import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.model.Precision;
import io.github.sdm.core.safetensors.TensorInfo;
import io.github.sdm.unet.weights.WeightSource;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects the nodes of one ONNX graph and writes it as a {@code ModelProto}: inputs and outputs with their element
 * types and (possibly named, dynamic) dimensions, operator nodes whose outputs get fresh names, small constants held in
 * the graph, and weights taken from a checkpoint by key ({@link GraphWeight}), declared without data. The network
 * emitters ({@link UNetGraph}, {@link AutoencoderGraphs}, {@link ClipTextGraph}) call it part by part through
 * {@link Layers}.
 */
public final class GraphBuilder {
    /** ONNX IR version 8 and the default domain's opset 17 (LayerNormalization), which ONNX Runtime 1.14+ runs. */
    static final long IR_VERSION = 8;
    static final long OPSET = 17;
    /** The location named in the data-less weight initializers; the engine replaces them before reading any data. */
    public static final String WEIGHTS_LOCATION = "sdm-checkpoint-weights";

    private record Node(String op, List<String> inputs, List<String> outputs, List<Attribute> attributes) {
    }

    private record Port(String name, ElementType type, Object[] dims) {
    }

    private record Constant(String name, ElementType type, long[] dims, byte[] data) {
    }

    private final String name;
    private final WeightSource weights;
    private final Precision layerStorage;
    private final List<Node> nodes = new ArrayList<>();
    private final List<Port> inputs = new ArrayList<>();
    /** Inputs dropped from the graph when no node left after pruning reads them. */
    private final Set<String> optionalInputs = new LinkedHashSet<>();
    private final List<String> keptInputs = new ArrayList<>();
    private final List<Port> outputs = new ArrayList<>();
    private final List<Constant> constants = new ArrayList<>();
    private final Map<String, GraphWeight> used = new LinkedHashMap<>();
    private final Map<String, String> constantNames = new LinkedHashMap<>();
    /** The float32 value of each layer weight held in a reduced precision: one cast or dequantization per weight. */
    private final Map<String, String> layerValues = new LinkedHashMap<>();
    private int counter;

    /**
     * @param name the graph's name, e.g. {@code "unet"}
     * @param weights the checkpoint the graph's weights come from
     */
    public GraphBuilder(String name, WeightSource weights) {
        this(name, weights, Precision.FP32);
    }

    /**
     * @param name the graph's name, e.g. {@code "unet"}
     * @param weights the checkpoint the graph's weights come from
     * @param layerStorage the type the linear and convolution weights are held in ({@link #layerWeight}); FP32
     *     holds them as the checkpoint does (float16 or bfloat16 files widened)
     */
    public GraphBuilder(String name, WeightSource weights, Precision layerStorage) {
        this.name = name;
        this.weights = weights;
        this.layerStorage = layerStorage;
    }

    /**
     * Declares a graph input.
     *
     * @param dims each a {@link Long} (fixed) or a {@link String} (a named dynamic dimension, e.g. {@code "batch"})
     * @return its value name
     */
    public String input(String inputName, ElementType type, Object... dims) {
        inputs.add(new Port(inputName, type, dims.clone()));
        return inputName;
    }

    /**
     * Declares a graph input that {@link #build} drops when no node it keeps reads it (a fed feature that the pruned
     * graph no longer needs).
     *
     * @param dims as for {@link #input}
     * @return its value name
     */
    public String optionalInput(String inputName, ElementType type, Object... dims) {
        optionalInputs.add(inputName);
        return input(inputName, type, dims);
    }

    /** The names of the inputs the last {@link #build} kept, in declaration order. */
    public List<String> keptInputs() {
        return List.copyOf(keptInputs);
    }

    /** Declares {@code value} a float graph output named {@code outputName} with dynamic dimensions. */
    public void output(String outputName, String value, Object... dims) {
        String named = value.equals(outputName) ? value : nodeNamed("Identity", List.of(value), outputName);
        outputs.add(new Port(named, ElementType.FLOAT, dims.clone()));
    }

    /** A node with one output; returns the output's name. */
    public String node(String op, List<String> nodeInputs, Attribute... attributes) {
        return nodeNamed(op, nodeInputs, fresh(op), attributes);
    }

    /** A node with {@code count} outputs; returns their names. */
    public List<String> nodes(String op, int count, List<String> nodeInputs, Attribute... attributes) {
        List<String> outs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            outs.add(fresh(op));
        }
        nodes.add(new Node(op, List.copyOf(nodeInputs), outs, List.of(attributes)));
        return outs;
    }

    private String nodeNamed(String op, List<String> nodeInputs, String output, Attribute... attributes) {
        nodes.add(new Node(op, List.copyOf(nodeInputs), List.of(output), List.of(attributes)));
        return output;
    }

    private String fresh(String op) {
        return op + "_" + counter++;
    }

    /** A float constant held in the graph (shared when the same values and shape were asked for before). */
    public String floats(float[] values, long... dims) {
        ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(values);
        return constant(ElementType.FLOAT, dims, data.array());
    }

    /** An int64 constant held in the graph (shapes, axes, split sizes). */
    public String longs(long[] values, long... dims) {
        ByteBuffer data = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        data.asLongBuffer().put(values);
        return constant(ElementType.INT64, dims, data.array());
    }

    /** A one-dimensional int64 constant. */
    public String longs(long... values) {
        return longs(values, values.length);
    }

    /** A float scalar. */
    public String scalar(float value) {
        return floats(new float[] {value});
    }

    private String constant(ElementType type, long[] dims, byte[] data) {
        String key = type + Arrays.toString(dims) + Arrays.toString(data);
        return constantNames.computeIfAbsent(key, k -> {
            String constantName = "const_" + constants.size();
            constants.add(new Constant(constantName, type, dims.clone(), data));
            return constantName;
        });
    }

    /**
     * The checkpoint's tensor {@code key} as a float32 initializer of shape {@code dims}.
     *
     * @throws ModelFormatException if the checkpoint has no such tensor, or its element count differs from
     *     {@code dims}' (the message names the checkpoint, the key and both shapes)
     */
    public String weight(String key, long... dims) {
        GraphWeight known = used.get(key);
        if (known != null) {
            return known.name();
        }
        requireFits(key, dims);
        used.put(key, GraphWeight.float32(weights, key, dims, false));
        return key;
    }

    /**
     * A linear ({@code [out, in]}) or convolution ({@code [out, in, k, k]}) weight as a float32 value, held in the
     * builder's layer storage: float32 as the checkpoint holds it; float16 or bfloat16 cast to float32 where used; int8
     * with per-output-channel scales, dequantized where used. LoRA adapters can be merged into it
     * ({@link BuiltGraph#withLora}).
     *
     * @param transposedForMatMul whether the value is wanted as {@code [in, out]} (a linear layer's right operand):
     *     a {@code Transpose} of the float32 weight (ONNX Runtime folds it at load), or, in a reduced precision, the
     *     weight stored transposed
     * @throws ModelFormatException as {@link #weight}
     */
    public String layerWeight(String key, boolean transposedForMatMul, long... dims) {
        if (layerStorage == Precision.FP32) {
            if (!used.containsKey(key)) {
                requireFits(key, dims);
                used.put(key, GraphWeight.float32(weights, key, dims, true));
            }
            return transposedForMatMul ? node("Transpose", List.of(key), Attribute.ints("perm", 1, 0)) : key;
        }
        String known = layerValues.get(key);
        if (known != null) {
            return known;
        }
        requireFits(key, dims);
        GraphWeight weight = new GraphWeight(key, weights, key, dims, true, layerStorage, transposedForMatMul,
                List.of());
        used.put(key, weight);
        String value = layerStorage == Precision.INT8
                ? node("DequantizeLinear", List.of(key, key + GraphWeight.SCALE_SUFFIX),
                        Attribute.of("axis", transposedForMatMul ? 1L : 0L))
                : node("Cast", List.of(key), Attribute.of("to", (long) ElementType.FLOAT.onnxCode));
        layerValues.put(key, value);
        return value;
    }

    private void requireFits(String key, long[] dims) {
        if (!weights.names().contains(key)) {
            throw new ModelFormatException(weights.description() + ": no tensor '" + key + "', which the " + name
                    + " graph needs (shape " + Arrays.toString(dims) + ")");
        }
        TensorInfo info = weights.info(key);
        if (!info.dtype().isFloatingPoint() || info.elementCount() != Arrays.stream(dims).reduce(1, (a, b) -> a * b)) {
            throw new ModelFormatException(weights.description() + ": tensor '" + key + "' is " + info.dtype()
                    + Arrays.toString(info.shape()) + "; the " + name + " graph needs a float tensor of "
                    + Arrays.toString(dims));
        }
    }

    /** Whether the checkpoint has tensor {@code key} (an optional part, e.g. a bias). */
    public boolean hasWeight(String key) {
        return weights.names().contains(key);
    }

    /**
     * The graph as a {@code ModelProto} with its checkpoint weights, pruned to what its outputs need: nodes no output
     * depends on, and the constants, weights and optional inputs only they read, are left out (a sub-graph for a cut
     * pass is the whole network's emission with some values fed as inputs).
     */
    public BuiltGraph build(String description) {
        Set<String> live = liveValues();
        List<Node> kept = nodes.stream().filter(n -> n.outputs().stream().anyMatch(live::contains)).toList();
        ProtoWriter graph = new ProtoWriter();
        int index = 0;
        for (Node node : kept) {
            ProtoWriter n = new ProtoWriter();
            node.inputs().forEach(i -> n.string(1, i));
            node.outputs().forEach(o -> n.string(2, o));
            n.string(3, node.op() + "_node_" + index++).string(4, node.op());
            node.attributes().forEach(a -> n.message(5, a.encode()));
            graph.message(1, n);
        }
        graph.string(2, name);
        for (Constant c : constants) {
            if (!live.contains(c.name())) {
                continue;
            }
            graph.message(5, tensor(c.name(), c.type(), c.dims()).bytes(9, c.data()));
        }
        List<GraphWeight> keptWeights = used.values().stream().filter(w -> live.contains(w.name())).toList();
        for (GraphWeight w : keptWeights) {
            // an int8 weight's scales are read by the same DequantizeLinear as its values: kept with them
            for (GraphWeight.Initializer i : w.initializers()) {
                // no data: data_location EXTERNAL with a location no file has; the engine supplies the tensor
                ProtoWriter location = new ProtoWriter().string(1, "location").string(2, WEIGHTS_LOCATION);
                graph.message(5, tensor(i.name(), i.type(), i.dims()).message(13, location).varint(14, 1));
            }
        }
        keptInputs.clear();
        for (Port p : inputs) {
            if (!optionalInputs.contains(p.name()) || live.contains(p.name())) {
                keptInputs.add(p.name());
                graph.message(11, valueInfo(p));
            }
        }
        outputs.forEach(p -> graph.message(12, valueInfo(p)));
        ProtoWriter opset = new ProtoWriter().string(1, "").varint(2, OPSET);
        byte[] model = new ProtoWriter().varint(1, IR_VERSION).string(2, "sdm").message(7, graph).message(8, opset)
                .toBytes();
        return new BuiltGraph(description, model, keptWeights);
    }

    /** Every value some output depends on: a walk back from the outputs over the nodes, last to first. */
    private Set<String> liveValues() {
        Set<String> live = new HashSet<>();
        outputs.forEach(p -> live.add(p.name()));
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node node = nodes.get(i);
            if (node.outputs().stream().anyMatch(live::contains)) {
                // "" marks an omitted optional input (Resize's roi and scales)
                node.inputs().stream().filter(in -> !in.isEmpty()).forEach(live::add);
            }
        }
        return live;
    }

    /** TensorProto: dims 1, data_type 2, name 8. */
    private static ProtoWriter tensor(String tensorName, ElementType type, long[] dims) {
        return new ProtoWriter().packedVarints(1, dims).varint(2, type.onnxCode).string(8, tensorName);
    }

    /** ValueInfoProto {name 1, type 2: TypeProto {tensor_type 1: {elem_type 1, shape 2: {dim 1: {value 1 | param 2}}}}}. */
    private static ProtoWriter valueInfo(Port port) {
        ProtoWriter shape = new ProtoWriter();
        for (Object d : port.dims()) {
            ProtoWriter dim = d instanceof String param ? new ProtoWriter().string(2, param)
                    : new ProtoWriter().varint(1, ((Number) d).longValue());
            shape.message(1, dim);
        }
        ProtoWriter tensorType = new ProtoWriter().varint(1, port.type().onnxCode).message(2, shape);
        return new ProtoWriter().string(1, port.name()).message(2, new ProtoWriter().message(1, tensorType));
    }
}

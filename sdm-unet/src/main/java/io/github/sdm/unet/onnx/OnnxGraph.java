package io.github.sdm.unet.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.unet.graph.BuiltGraph;
import io.github.sdm.unet.graph.GraphWeight;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One network's graph in an ONNX Runtime session. The session is shared by every generation of the model
 * ({@link OrtSession#run} is thread-safe); the graph's inputs and outputs are looked up by their names and ranks as
 * the file declares them, since the export conventions differ in element types and in some outputs.
 */
final class OnnxGraph implements AutoCloseable {
    private final Path file;
    private final OrtSession session;
    private final Map<String, TensorInfo> inputs;
    private final Map<String, TensorInfo> outputs;
    /** A built graph's weights, handed to the session as external initializers: they must outlive it. */
    private final List<OnnxTensor> weights;
    /** A built graph's initializers by name, lent to the sessions of its variants; empty for a file. */
    private final Map<String, OnnxTensorLike> initializers;

    private OnnxGraph(Path file, OrtSession session, Map<String, TensorInfo> inputs, Map<String, TensorInfo> outputs,
            List<OnnxTensor> weights, Map<String, OnnxTensorLike> initializers) {
        this.file = file;
        this.session = session;
        this.inputs = inputs;
        this.outputs = outputs;
        this.weights = weights;
        this.initializers = initializers;
    }

    /**
     * Opens {@code file} in a session with {@code options}.
     *
     * @throws ModelFormatException if ONNX Runtime cannot read the graph or it has a non-tensor input or output
     */
    static OnnxGraph open(OrtEnvironment environment, Path file, OrtSession.SessionOptions options) {
        return open(environment, file, (ByteBuffer) null, options);
    }

    /**
     * Opens the graph in {@code model} (the bytes of {@code file}, changed in memory) in a session with
     * {@code options}; null reads {@code file} itself.
     *
     * @throws ModelFormatException if ONNX Runtime cannot read the graph or it has a non-tensor input or output
     */
    static OnnxGraph open(OrtEnvironment environment, Path file, ByteBuffer model, OrtSession.SessionOptions options) {
        return open(environment, file, model, options, List.of(), Map.of());
    }

    /**
     * Opens a graph sdm built ({@link BuiltGraph}) in a session with {@code options}: its weights become ONNX
     * Runtime's external initializers, float32 tensors over the checkpoint's mapped bytes (widened first where the
     * checkpoint holds half precision), so the graph file holds no weights and nothing is written to disk.
     *
     * @param label what to call the graph in messages (its component folder and what it is)
     * @throws ModelFormatException if ONNX Runtime cannot load the graph (a bug in the emitter: the message names it)
     */
    static OnnxGraph open(OrtEnvironment environment, Path label, BuiltGraph graph, OrtSession.SessionOptions options) {
        List<OnnxTensor> weights = new ArrayList<>();
        try {
            Map<String, OnnxTensorLike> initializers = new LinkedHashMap<>();
            for (GraphWeight weight : graph.weights()) {
                OnnxTensor tensor = OnnxTensor.createTensor(environment, weight.float32Bytes(), weight.dims(),
                        OnnxJavaType.FLOAT);
                weights.add(tensor);
                initializers.put(weight.name(), tensor);
            }
            options.addExternalInitializers(initializers);
            ByteBuffer model = ByteBuffer.allocateDirect(graph.model().length).put(graph.model()).flip();
            return open(environment, label, model, options, weights, Map.copyOf(initializers));
        } catch (OrtException | RuntimeException e) {
            weights.forEach(OnnxTensor::close);
            throw e instanceof SdmException s ? s
                    : new SdmException("cannot hand the weights of " + graph.description() + " to ONNX Runtime: "
                            + e.getMessage(), e);
        }
    }

    /**
     * Opens {@code variant}, another graph built from the same network as {@code base} (a sub-graph of it, or it with
     * more outputs), in a session of its own that reads its weights from {@code base}'s initializers: the same
     * tensors, so no weight is read or widened again. The variant must be closed before {@code base}.
     *
     * @throws ModelFormatException if ONNX Runtime cannot load the graph, or it needs a weight {@code base} lacks
     */
    static OnnxGraph openVariant(OrtEnvironment environment, Path label, BuiltGraph variant, OnnxGraph base,
            OrtSession.SessionOptions options) {
        Map<String, OnnxTensorLike> shared = new LinkedHashMap<>();
        for (GraphWeight weight : variant.weights()) {
            OnnxTensorLike tensor = base.initializers.get(weight.name());
            if (tensor == null) {
                throw new ModelFormatException(variant.description() + " needs the weight '" + weight.name()
                        + "', which " + base.file + " does not hold");
            }
            shared.put(weight.name(), tensor);
        }
        try {
            options.addExternalInitializers(shared);
        } catch (OrtException e) {
            throw new SdmException("cannot hand the weights of " + variant.description() + " to ONNX Runtime: "
                    + e.getMessage(), e);
        }
        ByteBuffer model = ByteBuffer.allocateDirect(variant.model().length).put(variant.model()).flip();
        return open(environment, label, model, options, List.of(), Map.of());
    }

    private static OnnxGraph open(OrtEnvironment environment, Path file, ByteBuffer model,
            OrtSession.SessionOptions options, List<OnnxTensor> weights, Map<String, OnnxTensorLike> initializers) {
        OrtSession session;
        try {
            session = model == null ? environment.createSession(file.toString(), options)
                    : environment.createSession(model, options);
        } catch (OrtException e) {
            throw new ModelFormatException("ONNX Runtime cannot load " + file + ": " + e.getMessage(), e);
        }
        try {
            return new OnnxGraph(file, session, tensors(file, "input", session.getInputInfo()),
                    tensors(file, "output", session.getOutputInfo()), weights, initializers);
        } catch (OrtException | RuntimeException e) {
            closeQuietly(session, e);
            throw e instanceof SdmException s ? s
                    : new ModelFormatException("cannot read the inputs and outputs of " + file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, TensorInfo> tensors(Path file, String kind, Map<String, NodeInfo> nodes) {
        Map<String, TensorInfo> out = new LinkedHashMap<>();
        for (NodeInfo node : nodes.values()) {
            if (!(node.getInfo() instanceof TensorInfo info)) {
                throw new ModelFormatException(file + ": " + kind + " '" + node.getName() + "' is not a tensor ("
                        + node.getInfo() + ")");
            }
            out.put(node.getName(), info);
        }
        return out;
    }

    /** The graph file, for messages. */
    Path file() {
        return file;
    }

    /** The graph's inputs by name, in the file's order. */
    Map<String, TensorInfo> inputs() {
        return inputs;
    }

    /** The graph's outputs by name, in the file's order. */
    Map<String, TensorInfo> outputs() {
        return outputs;
    }

    /**
     * The input that plays {@code role}: the one named {@code name} if the graph has it, else its only input of
     * {@code rank} dimensions.
     *
     * @param name the name both export conventions give it (e.g. {@code "sample"})
     * @param rank its number of dimensions, to find it under another name
     * @param role what it is, for the message
     * @return its name
     * @throws ModelFormatException if no input or several inputs fit (the message lists the graph's inputs)
     */
    String input(String name, int rank, String role) {
        return find(inputs, "input", name, rank, role);
    }

    /** As {@link #input}, for an output. */
    String output(String name, int rank, String role) {
        return find(outputs, "output", name, rank, role);
    }

    private String find(Map<String, TensorInfo> ports, String kind, String name, int rank, String role) {
        if (ports.containsKey(name)) {
            return name;
        }
        List<String> ofRank = ports.entrySet().stream().filter(e -> e.getValue().getShape().length == rank)
                .map(Map.Entry::getKey).toList();
        if (ofRank.size() != 1) {
            throw new ModelFormatException(file + ": no " + kind + " for the " + role + " (named '" + name
                    + "', or the only one of rank " + rank + "); the graph's " + kind + "s: " + describe(ports));
        }
        return ofRank.get(0);
    }

    /**
     * Fails when the graph takes inputs beyond {@code known} (another model family's conditioning, say), which this
     * backend would not feed.
     *
     * @param what the kind of network, for the message
     * @param known the inputs this backend feeds
     * @throws ModelFormatException naming the unexpected inputs
     */
    void requireOnlyInputs(String what, Set<String> known) {
        if (!known.containsAll(inputs.keySet())) {
            throw new ModelFormatException(file + ": the " + what + " takes inputs " + describe(inputs) + ", of which "
                    + "only " + known + " are fed (a graph of another model family, e.g. SDXL's text_embeds and "
                    + "time_ids, is not supported)");
        }
    }

    /**
     * Runs the graph on {@code feeds} and returns {@code wanted} as floats; the feeds stay the caller's.
     *
     * @param feeds input name to tensor
     * @param wanted the outputs to return
     * @return output name to values, widened to float where the graph gives half precision
     * @throws SdmException if ONNX Runtime fails (the message names the file)
     */
    Map<String, FloatTensor> run(Map<String, OnnxTensor> feeds, Set<String> wanted) {
        try (OrtSession.Result result = session.run(feeds, wanted)) {
            Map<String, FloatTensor> out = new LinkedHashMap<>();
            for (String name : wanted) {
                OnnxValue value = result.get(name).orElseThrow();
                out.put(name, OnnxValues.toFloats((OnnxTensor) value, file + " output '" + name + "'"));
            }
            return out;
        } catch (OrtException e) {
            throw new SdmException("ONNX Runtime failed running " + file + ": " + e.getMessage(), e);
        }
    }

    /** As {@link #run(Map, Set)} for one output. */
    FloatTensor run(Map<String, OnnxTensor> feeds, String wanted) {
        return run(feeds, Set.of(wanted)).get(wanted);
    }

    static String describe(Map<String, TensorInfo> ports) {
        StringBuilder s = new StringBuilder("[");
        ports.forEach((name, info) -> s.append(s.length() > 1 ? ", " : "").append(name).append(' ')
                .append(info.type).append(java.util.Arrays.toString(info.getShape())));
        return s.append(']').toString();
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new SdmException("cannot close the ONNX Runtime session of " + file + ": " + e.getMessage(), e);
        } finally {
            weights.forEach(OnnxTensor::close);
        }
    }

    private static void closeQuietly(OrtSession session, Exception cause) {
        try {
            session.close();
        } catch (OrtException e) {
            cause.addSuppressed(e);
        }
    }
}

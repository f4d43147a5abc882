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
import io.github.sdm.unet.graph.ElementType;
import io.github.sdm.unet.graph.GraphWeight;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One network's graph in an ONNX Runtime session. The session is shared by every generation of the model
 * ({@link OrtSession#run} is thread-safe); the graph's inputs and outputs are looked up by their names and ranks as
 * the file declares them, since the export conventions differ in element types and in some outputs.
 *
 * <p>For stage residency the session can be {@linkplain #release() closed} and {@linkplain #load() opened again}
 * (through the opener given to {@link #reopenedBy}); meanwhile the graph's inputs and outputs keep answering, its runs
 * fail. The pipeline never releases a network under a running call.
 */
final class OnnxGraph implements AutoCloseable {
    private final Path file;
    private final Map<String, TensorInfo> inputs;
    private final Map<String, TensorInfo> outputs;
    /** The open session, or null while released. */
    private volatile OrtSession session;
    /** A built graph's weights, handed to the session as external initializers: they must outlive it. */
    private List<OnnxTensor> weights;
    /**
     * A built graph's initializers by name, lent to the sessions of its variants; empty for a file, and while
     * released (a reload fills it with the new session's tensors).
     */
    private volatile Map<String, OnnxTensorLike> initializers;
    /** The open variants reading this graph's initializers: it is neither released nor closed before them. */
    private final Set<OnnxGraph> borrowers = new HashSet<>();
    /** The graph whose initializers this variant reads; null for a graph holding its own. */
    private OnnxGraph lender;
    /** Opens the same graph again, for {@link #load()}; null when it cannot be reopened. */
    private Supplier<OnnxGraph> opener;
    private int loads;
    private int releases;

    /**
     * Keeps {@code reopen} for opening this graph again after a {@link #release()}.
     *
     * @param reopen opens the same graph (the same file or built graph, with the same settings) each time it is called
     * @return this graph
     */
    OnnxGraph reopenedBy(Supplier<OnnxGraph> reopen) {
        this.opener = reopen;
        return this;
    }

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
     * Runtime's external initializers ({@link GraphWeight#contents()}: float32 tensors over the checkpoint's mapped
     * bytes, or the weights converted to their storage type, LoRA merged), so the graph file holds no weights and
     * nothing is written to disk.
     *
     * @param label what to call the graph in messages (its component folder and what it is)
     * @throws ModelFormatException if ONNX Runtime cannot load the graph (a bug in the emitter: the message names it)
     */
    static OnnxGraph open(OrtEnvironment environment, Path label, BuiltGraph graph, OrtSession.SessionOptions options) {
        List<OnnxTensor> weights = new ArrayList<>();
        try {
            Map<String, OnnxTensorLike> initializers = new LinkedHashMap<>();
            for (GraphWeight weight : graph.weights()) {
                Map<String, ByteBuffer> contents = weight.contents();
                for (GraphWeight.Initializer initializer : weight.initializers()) {
                    OnnxTensor tensor = OnnxTensor.createTensor(environment, contents.get(initializer.name()),
                            initializer.dims(), javaType(initializer.type()));
                    weights.add(tensor);
                    initializers.put(initializer.name(), tensor);
                }
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
     * tensors, so no weight is read, converted or LoRA-merged again, and the variant computes with exactly the values
     * {@code base} does. Every initializer the variant declares (an int8 weight's values and scales included) must be
     * one of {@code base}'s, of the same element type and shape: the variant must be built with {@code base}'s weight
     * storage. The variant must be closed before {@code base} is released or closed.
     *
     * @throws ModelFormatException if ONNX Runtime cannot load the graph, or it declares an initializer {@code base}
     *     lacks or holds in another type or shape (the message names it)
     * @throws IllegalStateException if {@code base} is released
     */
    static OnnxGraph openVariant(OrtEnvironment environment, Path label, BuiltGraph variant, OnnxGraph base,
            OrtSession.SessionOptions options) {
        synchronized (base) { // not released while the variant's session takes its tensors
            if (base.session == null) {
                throw new IllegalStateException(base.file + " was released (stage residency): load it before opening "
                        + variant.description());
            }
            Map<String, OnnxTensorLike> shared = new LinkedHashMap<>();
            for (GraphWeight weight : variant.weights()) {
                for (GraphWeight.Initializer declared : weight.initializers()) {
                    shared.put(declared.name(), base.lend(declared, variant));
                }
            }
            try {
                options.addExternalInitializers(shared);
            } catch (OrtException e) {
                throw new SdmException("cannot hand the weights of " + variant.description() + " to ONNX Runtime: "
                        + e.getMessage(), e);
            }
            ByteBuffer model = ByteBuffer.allocateDirect(variant.model().length).put(variant.model()).flip();
            OnnxGraph opened = open(environment, label, model, options, List.of(), Map.of());
            opened.lender = base;
            base.borrowers.add(opened);
            return opened;
        }
    }

    /** The initializer {@code declared} names, checked to be what {@code variant} declares it as. */
    private OnnxTensorLike lend(GraphWeight.Initializer declared, BuiltGraph variant) {
        OnnxTensorLike tensor = initializers.get(declared.name());
        if (tensor == null) {
            throw new ModelFormatException(variant.description() + " needs the weight '" + declared.name()
                    + "', which " + file + " does not hold");
        }
        TensorInfo held = tensor.getInfo();
        if (held.type != javaType(declared.type()) || !Arrays.equals(held.getShape(), declared.dims())) {
            throw new ModelFormatException(variant.description() + " declares the weight '" + declared.name()
                    + "' as " + declared.type() + Arrays.toString(declared.dims()) + ", but " + file + " holds it as "
                    + held.type + Arrays.toString(held.getShape()) + " (a variant must be built with the weight "
                    + "storage of the graph whose weights it reads)");
        }
        return tensor;
    }

    private static OnnxJavaType javaType(ElementType type) {
        return switch (type) {
            case FLOAT -> OnnxJavaType.FLOAT;
            case FLOAT16 -> OnnxJavaType.FLOAT16;
            case BFLOAT16 -> OnnxJavaType.BFLOAT16;
            case INT8 -> OnnxJavaType.INT8;
            case INT32 -> OnnxJavaType.INT32;
            case INT64 -> OnnxJavaType.INT64;
        };
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
        OrtSession open = session;
        if (open == null) {
            throw new IllegalStateException(file + " was released (stage residency) and not loaded again before this "
                    + "call");
        }
        try (OrtSession.Result result = open.run(feeds, wanted)) {
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

    /** Opens the session again if it was released, through the opener given to {@link #reopenedBy}. */
    synchronized void load() {
        if (session != null) {
            return;
        }
        if (opener == null) {
            throw new IllegalStateException(file + " was opened without an opener and cannot be loaded again");
        }
        OnnxGraph fresh = opener.get();
        weights = fresh.weights;
        initializers = fresh.initializers;
        session = fresh.session;
        loads++;
    }

    /**
     * Closes the session and frees its weights until {@link #load()} (once the sessions of the variants reading
     * them are closed): ONNX Runtime's copies and arena at once, the
     * weight buffers sdm converted (direct buffers) and the checkpoint's mappings when the collector frees them, which
     * is asked for here.
     */
    synchronized void release() {
        if (session != null) {
            close();
            releases++;
            System.gc();
        }
    }

    /** Whether the session is open. */
    boolean isLoaded() {
        return session != null;
    }

    /** Loads after a release (for tests). */
    synchronized int loads() {
        return loads;
    }

    /** Releases so far (for tests). */
    synchronized int releases() {
        return releases;
    }

    @Override
    public synchronized void close() {
        OrtSession open = session;
        if (open == null) {
            return;
        }
        if (!borrowers.isEmpty()) {
            // their sessions would read freed tensors
            throw new IllegalStateException(file + " still lends its weights to " + borrowers.size() + " open variant "
                    + "session(s), " + borrowers.iterator().next().file + " first; close them before it");
        }
        session = null;
        try {
            open.close();
        } catch (OrtException e) {
            throw new SdmException("cannot close the ONNX Runtime session of " + file + ": " + e.getMessage(), e);
        } finally {
            initializers = Map.of();
            weights.forEach(OnnxTensor::close);
            weights = List.of();
            if (lender != null) {
                synchronized (lender) {
                    lender.borrowers.remove(this);
                }
            }
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

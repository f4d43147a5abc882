package io.github.sdm.unet.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.Precision;
import io.github.sdm.unet.graph.BuiltGraph;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalInt;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the graphs of one model are opened: ONNX Runtime's session options from the load options. Every graph gets
 * the full graph optimizations (constant folding, operator fusions, the CPU's blocked layouts), the memory arena and
 * memory pattern (activation buffers reused between calls of one shape), spinning threads only when
 * {@code OMP_WAIT_POLICY} is not {@code PASSIVE} ({@link #allowSpinning}) and, when {@link LoadOptions#threads()}
 * is set, that many intra-op threads; a GPU adds ONNX Runtime's CUDA execution provider.
 */
final class GraphSettings {
    private static final Logger LOG = LoggerFactory.getLogger(GraphSettings.class);
    /** ONNX Runtime's session setting naming graph optimizers not to run. */
    static final String DISABLED_OPTIMIZERS = "optimization.disable_specified_optimizers";
    /** The optimizer that would widen float16 and bfloat16 weights to float32 copies at session creation. */
    static final String KEEPS_STORED_WEIGHTS = "ConstantFolding";
    private final OrtEnvironment environment;
    private final LoadOptions options;
    /** ONNX Runtime's CUDA provider for a {@code gpu} device; null on the CPU. */
    private final CudaProvider cuda;

    private GraphSettings(OrtEnvironment environment, LoadOptions options, CudaProvider cuda) {
        this.environment = environment;
        this.options = options;
        this.cuda = cuda;
    }

    /**
     * Settings for {@code options}, refusing what this backend cannot run.
     *
     * @param options the load options
     * @return the settings
     * @throws SdmException if the options ask for a precision other than the graph's own, attention slicing, or a GPU
     *     that ONNX Runtime's build on the class path cannot use (the message says what to change or install)
     */
    static GraphSettings of(LoadOptions options) {
        if (options.weightPrecision() != Precision.FP32 || options.computePrecision() != Precision.FP32) {
            throw new SdmException("LoadOptions.weightPrecision " + options.weightPrecision() + " / computePrecision "
                    + options.computePrecision() + " do not run on the onnx backend with an ONNX export: a graph computes in the types it "
                    + "was exported with (an fp16 export loads with the default options); export the model in the "
                    + "precision you want, or load its diffusers folder or checkpoint, whose graphs sdm builds with "
                    + "float16, bfloat16 or int8 weights (computePrecision FP32)");
        }
        return checked(options);
    }

    /**
     * Settings for the graphs sdm builds ({@link BuiltGraph}): any weight precision (FP32, FP16, BF16, INT8: the
     * linear and convolution weights held so, computed in float32), float32 compute.
     *
     * @throws SdmException if the options ask for another compute precision, attention slicing, or a GPU that ONNX
     *     Runtime's build on the class path cannot use
     */
    static GraphSettings forBuiltGraphs(LoadOptions options) {
        if (options.computePrecision() != Precision.FP32) {
            throw new SdmException("LoadOptions.computePrecision " + options.computePrecision() + " does not run on "
                    + "the graphs the onnx backend builds: they compute in float32 (weights may be held as FP16, BF16 "
                    + "or INT8: LoadOptions.weightPrecision, --weights); use computePrecision FP32, an fp16 ONNX "
                    + "export, or the djl backend");
        }
        return checked(options);
    }

    private static GraphSettings checked(LoadOptions options) {
        if (options.attentionSliceSize() != 0) {
            throw new SdmException("LoadOptions.attentionSliceSize " + options.attentionSliceSize() + " does not run on "
                    + "the onnx backend: the attention is part of the exported graph and cannot be sliced; use 0");
        }
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        CudaProvider cuda = options.device().equals("cpu") ? null : CudaProvider.of(options.device());
        return new GraphSettings(environment, options, cuda);
    }

    /** The ONNX Runtime environment the graphs and their tensors belong to. */
    OrtEnvironment environment() {
        return environment;
    }

    /**
     * Opens one network's graph (its external weight files are read from the graph's folder).
     *
     * @param file the {@code model.onnx}
     * @return the graph; the caller closes it
     * @throws io.github.sdm.core.error.ModelFormatException if ONNX Runtime cannot read the file
     */
    OnnxGraph open(Path file) {
        try (OrtSession.SessionOptions session = sessionOptions(file)) {
            return onDevice(() -> OnnxGraph.open(environment, file, session));
        } catch (OrtException e) {
            throw new SdmException("cannot set ONNX Runtime's session options for " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens a graph sdm built from a diffusers config and its safetensors weights.
     *
     * @param graph the graph and its weights
     * @param label what to call it in messages: the component folder and the network
     * @return the graph; the caller closes it
     * @throws io.github.sdm.core.error.ModelFormatException if ONNX Runtime cannot load the graph
     */
    OnnxGraph open(BuiltGraph graph, Path label) {
        return open(graph, label, null);
    }

    /**
     * As {@link #open(BuiltGraph, Path)}, also writing the graph as ONNX Runtime optimized it to {@code optimizedModel}
     * (weights included), so that a test can read which weights it folded; null writes nothing.
     */
    OnnxGraph open(BuiltGraph graph, Path label, Path optimizedModel) {
        try (OrtSession.SessionOptions session = sessionOptions(label)) {
            if (optimizedModel != null) {
                session.setOptimizedModelFilePath(optimizedModel.toString());
            }
            keepStoredWeights(session);
            return onDevice(() -> OnnxGraph.open(environment, label, graph, session));
        } catch (OrtException e) {
            throw new SdmException("cannot set ONNX Runtime's session options for " + label + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens a variant of a built graph ({@link io.github.sdm.unet.graph.UNetCut}) in a session of its own, with the
     * weights of {@code base}'s session (the same tensors) and the same session settings; the variant must be built
     * with {@link #weightStorage()}.
     *
     * @param variant the variant's graph
     * @param base the opened graph of the same network
     * @param label what to call it in messages
     * @return the graph; the caller closes it before {@code base}
     * @throws io.github.sdm.core.error.ModelFormatException if ONNX Runtime cannot load the graph
     */
    OnnxGraph openVariant(BuiltGraph variant, OnnxGraph base, Path label) {
        try (OrtSession.SessionOptions session = sessionOptions(label)) {
            keepStoredWeights(session);
            return onDevice(() -> OnnxGraph.openVariant(environment, label, variant, base, session));
        } catch (OrtException e) {
            throw new SdmException("cannot set ONNX Runtime's session options for " + label + ": " + e.getMessage(), e);
        }
    }

    /**
     * Keeps float16 and bfloat16 weights so in the session: constant folding would turn each cast weight into a
     * float32 copy at load, undoing the saving; the casts then run per call. ONNX Runtime does not fold
     * {@code DequantizeLinear} (int8 weights stay int8).
     */
    private void keepStoredWeights(OrtSession.SessionOptions session) throws OrtException {
        if (options.weightPrecision() == Precision.FP16 || options.weightPrecision() == Precision.BF16) {
            session.addConfigEntry(DISABLED_OPTIMIZERS, KEEPS_STORED_WEIGHTS);
        }
    }

    /** The type the built graphs hold their linear and convolution weights in ({@link LoadOptions#weightPrecision}). */
    Precision weightStorage() {
        return options.weightPrecision();
    }

    /**
     * Opens a UNet's graph, its integer {@code timestep} input declared float where {@link TimestepWidening} proves
     * that safe, so fractional timesteps reach the graph as the sampler computes them.
     *
     * @param file the UNet's {@code model.onnx}
     * @return the graph; the caller closes it
     * @throws io.github.sdm.core.error.ModelFormatException if ONNX Runtime cannot read the file
     */
    OnnxGraph openUNet(Path file) {
        ByteBuffer model = widenedCopy(file, "timestep");
        if (model == null) {
            return open(file);
        }
        LOG.info("{}: the integer timestep input is only reshaped and cast to float inside the graph; it is declared "
                + "float for this session, so fractional timesteps reach the UNet unrounded", file);
        try (OrtSession.SessionOptions session = sessionOptions(file)) {
            // a graph given as bytes finds its external weight files through this setting, not its path
            session.addConfigEntry("session.model_external_initializers_file_folder_path", file.getParent().toString());
            return onDevice(() -> OnnxGraph.open(environment, file, model, session));
        } catch (OrtException e) {
            throw new SdmException("cannot set ONNX Runtime's session options for " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * A copy of the graph file in native memory with {@code input} declared float, or null when the input is not one
     * {@link TimestepWidening} widens (the file is then loaded as it is).
     */
    private static ByteBuffer widenedCopy(Path file, String input) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            OptionalInt offset;
            try {
                offset = TimestepWidening.elementTypeOffset(mapped, input);
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                return null; // not a well-formed graph file: ONNX Runtime says what is wrong with it
            }
            if (offset.isEmpty()) {
                return null;
            }
            ByteBuffer copy = ByteBuffer.allocateDirect(mapped.capacity()).put(mapped.rewind()).flip();
            return copy.put(offset.getAsInt(), TimestepWidening.FLOAT_TYPE);
        } catch (IOException e) {
            throw new ModelFormatException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private OrtSession.SessionOptions sessionOptions(Path file) throws OrtException {
        OrtSession.SessionOptions session = new OrtSession.SessionOptions();
        try {
            session.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            session.setCPUArenaAllocator(true);
            session.setMemoryPatternOptimization(true);
            if (options.threads() > 0) {
                session.setIntraOpNumThreads(options.threads());
            }
            session.addConfigEntry("session.intra_op.allow_spinning", allowSpinning(System.getenv("OMP_WAIT_POLICY")));
            if (cuda != null) {
                cuda.addTo(session);
            }
            return session;
        } catch (OrtException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /**
     * ONNX Runtime's {@code session.intra_op.allow_spinning} for an {@code OMP_WAIT_POLICY}: its threads wait the
     * way PyTorch's OpenMP threads are told to, so both engines share a busy machine alike. {@code PASSIVE} (the
     * {@code sdm} launcher's default) stops them spinning, which made ONNX Runtime 1.2x to 1.8x faster at load 6 to
     * 10 here; unset or {@code ACTIVE} keeps ONNX Runtime's default, spinning.
     *
     * @param ompWaitPolicy the environment variable's value, or null
     * @return "0" or "1"
     */
    static String allowSpinning(String ompWaitPolicy) {
        return ompWaitPolicy != null && ompWaitPolicy.trim().equalsIgnoreCase("PASSIVE") ? "0" : "1";
    }

    /**
     * Opens a session; on a GPU, a failure of ONNX Runtime's CUDA provider (no GPU, a missing library) becomes the
     * provider's explanation instead of "cannot load the file".
     */
    private OnnxGraph onDevice(Supplier<OnnxGraph> opening) {
        try {
            return opening.get();
        } catch (ModelFormatException e) {
            if (cuda != null && e.getCause() instanceof OrtException ort && CudaProvider.isCudaFailure(ort.getMessage())) {
                throw CudaProvider.explain(options.device(), ort.getMessage(), ort);
            }
            throw e;
        }
    }
}

package io.github.sdm.unet.onnx;

import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.model.ConfigFile;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.spi.DiffusionNetworks;
import io.github.sdm.core.spi.LoadVerdict;
import io.github.sdm.core.spi.ModelBackend;
import io.github.sdm.unet.graph.BuiltGraph;
import io.github.sdm.unet.graph.ModelGraphs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The networks on ONNX Runtime, from an ONNX export folder ({@code OnnxStableDiffusionPipeline}: see
 * {@link OnnxExport}) in either convention found in the wild, diffusers' conversion script or optimum's exporter, or
 * from graphs sdm builds itself from a diffusers folder or single-file checkpoint ({@link ModelGraphs}: the configs and
 * the safetensors weights, which stay in their files). Input and output names and element types are read from each
 * graph. One session per network serves every generation. On built graphs, feature inheritance runs on variants of
 * the UNet's graph ({@link OnnxUNetVariants}); on an export, session extensions are refused: they need the networks'
 * named parts, which an exported graph does not expose.
 */
public final class OnnxBackend implements ModelBackend {
    /**
     * Below the djl backend's rank. Today the two never compete (this backend reads ONNX exports only, djl safetensors
     * only), and the rank only orders the reasons when none can load a model, djl's (the common format) first; when
     * sdm builds graphs from diffusers folders itself (issue 15), a folder that loads on djl today keeps doing so
     * unless the application names this backend.
     */
    public static final int PRIORITY = -10;
    private static final String MISSING_RUNTIME = "ONNX Runtime is not on the class path: add "
            + "com.microsoft.onnxruntime:onnxruntime:1.22.0 (CPU) or, for CUDA 12 and cuDNN 9, io.github.sdm:sdm-cuda "
            + "(which brings com.microsoft.onnxruntime:onnxruntime_gpu:1.22.0) to the application";

    @Override
    public String name() {
        return "onnx";
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    /**
     * ONNX exports ({@code model_index.json} naming {@code OnnxStableDiffusionPipeline}, and a {@code model.onnx} in
     * {@code text_encoder/}, {@code unet/} and {@code vae_decoder/}), and diffusers folders and single-file
     * checkpoints whose networks sdm builds graphs for (the VAE an {@code AutoencoderKL} or a TAESD).
     */
    @Override
    public LoadVerdict canLoad(ModelLocation location) {
        LoadVerdict verdict;
        if (OnnxExport.isExport(location)) {
            verdict = OnnxExport.verdict(location);
        } else {
            // safetensors networks: the graphs are built from their configs and weights
            String problem = ModelGraphs.problem(location);
            verdict = problem == null ? LoadVerdict.yes() : LoadVerdict.no("no ONNX graphs can be built from it: "
                    + problem);
        }
        return verdict.loadable() && !onnxRuntimeOnClassPath() ? LoadVerdict.no(MISSING_RUNTIME) : verdict;
    }

    /**
     * Merges {@link LoadOptions#loras()} into the weights of the graphs it builds (a diffusers folder or checkpoint);
     * an ONNX export with adapters is refused at load.
     */
    @Override
    public boolean mergesLora() {
        return true;
    }

    /** Each network's sessions close after its stage and open again (from graphs built anew, or the export's files). */
    @Override
    public boolean releasesPerStage() {
        return true;
    }

    @Override
    public DiffusionNetworks load(ModelLocation location, LoadOptions options) {
        if (options.weightPaging()) {
            throw new InvalidRequestException("The onnx backend cannot page weights (LoadOptions.weightPaging, "
                    + "--weight-paging): ONNX Runtime holds each graph's weights itself; load without it, or load "
                    + "safetensors weights with the djl backend");
        }
        if (!OnnxExport.isExport(location)) {
            requireRuntime(location);
            return loadBuilt(location, options, GraphSettings.forBuiltGraphs(options));
        }
        if (!options.loras().isEmpty()) {
            throw new InvalidRequestException("LoadOptions.loras: the onnx backend merges LoRA adapters into the graphs "
                    + "it builds from a diffusers folder or checkpoint, not into an ONNX export (" + location.folder()
                    + "; first adapter " + options.loras().get(0).file() + "); load the model's safetensors folder");
        }
        OnnxExport export = OnnxExport.of(location);
        requireRuntime(location);
        GraphSettings settings = GraphSettings.of(options);
        List<OnnxGraph> graphs = new ArrayList<>();
        try {
            OnnxGraph text = open(() -> settings.open(export.textEncoder()), graphs);
            OnnxGraph unet = open(() -> settings.openUNet(export.unet()), graphs);
            OnnxGraph decoder = open(() -> settings.open(export.vaeDecoder()), graphs);
            OnnxGraph encoder = export.vaeEncoder() == null ? null
                    : open(() -> settings.open(export.vaeEncoder()), graphs);
            ConfigFile textConfig = config(export.textEncoder());
            ConfigFile unetConfig = config(export.unet());
            ConfigFile vaeConfig = config(export.vaeDecoder());
            OnnxTextEncoder textEncoder = new OnnxTextEncoder(text, settings.environment(),
                    textConfig == null ? Math.max(1, AttentionLayers.count(export.textEncoder()))
                            : textConfig.integer("num_hidden_layers"));
            OnnxDenoiser denoiser = new OnnxDenoiser(unet, settings.environment(),
                    unetConfig == null ? 0 : unetConfig.integer("in_channels", 0),
                    unetConfig == null ? 64 : unetConfig.integer("sample_size", 64));
            OnnxAutoencoder vae = new OnnxAutoencoder(decoder, encoder, settings.environment(), vaeConfig);
            return new OnnxNetworks(graphs, textEncoder, denoiser, vae);
        } catch (RuntimeException e) {
            throw closedAfter(e, graphs);
        }
    }

    /** Closes the graphs opened before a load failed, keeping the failure as the exception to throw. */
    private static RuntimeException closedAfter(RuntimeException failure, List<OnnxGraph> opened) {
        try {
            OnnxNetworks.closeAll(opened);
        } catch (RuntimeException closing) {
            failure.addSuppressed(closing);
        }
        return failure;
    }

    private static void requireRuntime(ModelLocation location) {
        if (!onnxRuntimeOnClassPath()) {
            throw new SdmException("The onnx backend cannot load " + location.folder() + ": " + MISSING_RUNTIME);
        }
    }

    /**
     * The networks of a diffusers folder or single-file checkpoint as graphs sdm builds, with the linear and convolution
     * weights held in {@link LoadOptions#weightPrecision()} and {@link LoadOptions#loras()} merged: each opened with its
     * weights handed to ONNX Runtime from the mapped checkpoint; the weight files are closed once every session holds
     * them. A network released for stage residency is opened again from graphs built anew (the configs and weights
     * read again, the adapters merged again).
     */
    private static DiffusionNetworks loadBuilt(ModelLocation location, LoadOptions options, GraphSettings settings) {
        List<OnnxGraph> graphs = new ArrayList<>();
        try (ModelGraphs built = ModelGraphs.build(location, options.weightPrecision(), options.loras())) {
            OnnxGraph text = openBuilt(built, ModelGraphs::textEncoder, "text_encoder", location, options, settings,
                    graphs);
            OnnxGraph unet = openBuilt(built, ModelGraphs::unet, "unet", location, options, settings, graphs);
            OnnxGraph decoder = openBuilt(built, ModelGraphs::vaeDecoder, "vae_decoder", location, options, settings,
                    graphs);
            OnnxGraph encoder = openBuilt(built, ModelGraphs::vaeEncoder, "vae_encoder", location, options, settings,
                    graphs);
            OnnxTextEncoder textEncoder = new OnnxTextEncoder(text, settings.environment(),
                    built.textConfig().numHiddenLayers());
            // the variants' sessions read the loaded UNet's weights: closed before it
            OnnxUNetVariants variants = new OnnxUNetVariants(built.unetConfig(), built.unetWeights(), unet, settings,
                    label(location, "unet"));
            OnnxDenoiser denoiser = new OnnxDenoiser(unet, variants, settings.environment(),
                    built.unetConfig().inChannels(), built.unetConfig().sampleSize());
            OnnxAutoencoder vae = new OnnxAutoencoder(decoder, encoder, settings.environment(), built.vaeConfig());
            return new OnnxNetworks(graphs, textEncoder, denoiser, vae, variants);
        } catch (RuntimeException e) {
            throw closedAfter(e, graphs);
        }
    }

    /** Opens the graph {@code pick} takes from {@code built}; after a release, from the model's graphs built anew. */
    private static OnnxGraph openBuilt(ModelGraphs built, Function<ModelGraphs, BuiltGraph> pick, String network,
            ModelLocation location, LoadOptions options, GraphSettings settings, List<OnnxGraph> opened) {
        Path label = label(location, network);
        OnnxGraph graph = settings.open(pick.apply(built), label).reopenedBy(() -> {
            try (ModelGraphs again = ModelGraphs.build(location, options.weightPrecision(), options.loras())) {
                return settings.open(pick.apply(again), label);
            }
        });
        opened.add(graph);
        return graph;
    }

    /** A built graph's name in messages: its network's folder (the VAE's for both halves) and the network. */
    private static Path label(ModelLocation location, String network) {
        String folder = network.startsWith("vae") ? "vae" : network;
        Path base = location.isSingleFile() && !location.isOverridden(folder) ? location.checkpoint()
                : location.componentFolder(folder);
        return base.resolve("[" + network + " graph built by sdm]");
    }

    /** ONNX Runtime is the application's dependency (CPU or CUDA build), so it may be missing. */
    private static boolean onnxRuntimeOnClassPath() {
        try {
            Class.forName("ai.onnxruntime.OrtEnvironment", false, OnnxBackend.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** Opens an export's graph with {@code opener}, which opens it again after a release. */
    private static OnnxGraph open(Supplier<OnnxGraph> opener, List<OnnxGraph> opened) {
        OnnxGraph graph = opener.get().reopenedBy(opener);
        opened.add(graph);
        return graph;
    }

    /** The {@code config.json} beside a graph, where the export has one (optimum writes them), else null. */
    private static ConfigFile config(Path graphFile) {
        Path file = graphFile.resolveSibling("config.json");
        return Files.isRegularFile(file) ? ConfigFile.read(file) : null;
    }
}

package io.github.sdm.unet.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.TensorInfo;
import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.core.spi.DenoiserNetwork;
import io.github.sdm.core.spi.DenoiserSession;
import io.github.sdm.core.spi.DenoiserSessionOptions;
import io.github.sdm.core.spi.SessionExtension;
import io.github.sdm.core.spi.TextConditioning;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.unet.graph.UNetCut;
import io.github.sdm.unet.graph.strategy.GraphStrategies;
import io.github.sdm.unet.graph.strategy.GraphStrategy;
import io.github.sdm.unet.graph.strategy.UNetGraphCall;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The UNet's graph: {@code sample}, {@code timestep} and {@code encoder_hidden_states} in, {@code out_sample} out,
 * in the element types the graph declares. On a graph sdm built, session extensions run as {@link GraphStrategy}s
 * over variants of the graph ({@link OnnxUNetVariants}: feature inheritance); on an export they are refused, since
 * they reuse, skip or observe the UNet's parts by name and an exported graph exposes only its inputs and outputs.
 */
final class OnnxDenoiser implements DenoiserNetwork {
    private final OnnxGraph graph;
    /** The built graph's variants; null for an export. */
    private final OnnxUNetVariants variants;
    private final OrtEnvironment environment;
    private final String sampleInput;
    private final String timestepInput;
    private final String hiddenStatesInput;
    private final String output;
    private final int inChannels;
    private final int sampleSize;

    /**
     * @param configInChannels {@code in_channels} of {@code unet/config.json}, or 0 when the export has no config
     * @param sampleSize {@code sample_size} of {@code unet/config.json}; without a config, 64: diffusers'
     *     {@code OnnxStableDiffusionPipeline} draws 512 x 512 by default, 64 latents at the factor 8 it assumes
     */
    OnnxDenoiser(OnnxGraph graph, OrtEnvironment environment, int configInChannels, int sampleSize) {
        this(graph, null, environment, configInChannels, sampleSize);
    }

    /** A built UNet, whose {@code variants} run the session extensions. */
    OnnxDenoiser(OnnxGraph graph, OnnxUNetVariants variants, OrtEnvironment environment, int configInChannels,
            int sampleSize) {
        this.graph = graph;
        this.variants = variants;
        this.environment = environment;
        this.sampleInput = graph.input("sample", 4, "latent sample");
        this.timestepInput = graph.input("timestep", 1, "timestep");
        this.hiddenStatesInput = graph.input("encoder_hidden_states", 3, "text conditioning");
        graph.requireOnlyInputs("UNet", Set.of(sampleInput, timestepInput, hiddenStatesInput));
        this.output = graph.output("out_sample", 4, "noise prediction");
        long graphChannels = graph.inputs().get(sampleInput).getShape()[1];
        // the graph's own channel count wins; a dynamic one (-1) leaves the config's, else SD's 4
        this.inChannels = graphChannels > 0 ? (int) graphChannels : configInChannels > 0 ? configInChannels : 4;
        this.sampleSize = sampleSize;
    }

    @Override
    public DenoiserSession openSession(DenoiserSessionOptions options) {
        if (variants != null) {
            return new Session(GraphStrategies.forSession(options, variants));
        }
        if (!options.extensions().isEmpty()) {
            SessionExtension extension = options.extensions().get(0);
            throw new InvalidRequestException("the onnx backend cannot run the session extension '"
                    + extension.describe() + "' (" + extension.getClass().getName() + "): it works on the UNet's named "
                    + "parts (blocks and layers it reuses, skips or observes), and an ONNX graph (" + graph.file()
                    + ") exposes only its inputs and outputs; use the djl backend on the diffusers folder");
        }
        return new Session(GraphStrategy.FULL);
    }

    /** The graph it runs. */
    OnnxGraph graph() {
        return graph;
    }

    @Override
    public int inChannels() {
        return inChannels;
    }

    @Override
    public int sampleSize() {
        return sampleSize;
    }

    /**
     * One generation: the text conditioning is converted once and kept until the session closes; the strategy (and
     * its caches) is the generation's own.
     */
    private final class Session implements DenoiserSession {
        private final GraphStrategy strategy;
        private TextConditioning lastConditioning;
        private OnnxTensor hiddenStates;

        Session(GraphStrategy strategy) {
            this.strategy = strategy;
        }

        @Override
        public FloatTensor predict(FloatTensor sample, double timestep, int callIndex, TextConditioning conditioning) {
            // SD 1.x and 2.x UNets read the hidden states only; pooled and extras are for later families
            if (conditioning != lastConditioning) {
                closeHiddenStates();
                hiddenStates = OnnxValues.floats(environment, conditioning.hiddenStates(), info(hiddenStatesInput),
                        where(hiddenStatesInput));
                lastConditioning = conditioning;
            }
            try (OnnxTensor x = OnnxValues.floats(environment, sample, info(sampleInput), where(sampleInput));
                    OnnxTensor t = OnnxValues.timestep(environment, timestep, sample.dim(0), info(timestepInput),
                            where(timestepInput))) {
                Map<String, OnnxTensor> feeds = Map.of(sampleInput, x, timestepInput, t, hiddenStatesInput, hiddenStates);
                return strategy.predict(new Call(sample.shape(), feeds), callIndex);
            }
        }

        @Override
        public void close() {
            try {
                strategy.close();
            } finally {
                closeHiddenStates();
            }
        }

        private void closeHiddenStates() {
            if (hiddenStates != null) {
                hiddenStates.close();
                hiddenStates = null;
                lastConditioning = null;
            }
        }
    }

    /** One call's feeds, runnable on the loaded graph or any of its variants. */
    private final class Call implements UNetGraphCall {
        private final int[] sampleShape;
        private final Map<String, OnnxTensor> feeds;

        Call(int[] sampleShape, Map<String, OnnxTensor> feeds) {
            this.sampleShape = sampleShape;
            this.feeds = feeds;
        }

        @Override
        public int[] sampleShape() {
            return sampleShape.clone();
        }

        @Override
        public Map<String, FloatTensor> run(UNetCut cut, Map<String, FloatTensor> fed) {
            OnnxGraph target = variants == null ? graph : variants.graph(cut);
            Map<String, OnnxTensor> all = new HashMap<>(feeds);
            List<OnnxTensor> made = new ArrayList<>();
            try {
                for (Map.Entry<String, TensorInfo> input : target.inputs().entrySet()) {
                    if (!all.containsKey(input.getKey())) {
                        FloatTensor value = fed.get(input.getKey());
                        if (value == null) {
                            throw new IllegalStateException(target.file() + " reads '" + input.getKey()
                                    + "', which the strategy did not feed (it fed " + fed.keySet() + ")");
                        }
                        OnnxTensor tensor = OnnxValues.floats(environment, value, input.getValue(),
                                target.file() + " input '" + input.getKey() + "'");
                        made.add(tensor);
                        all.put(input.getKey(), tensor);
                    }
                }
                Set<String> wanted = new LinkedHashSet<>(cut.exposed());
                wanted.add(output);
                Map<String, FloatTensor> out = new HashMap<>(target.run(all, wanted));
                out.put(OUT_SAMPLE, out.remove(output));
                return out;
            } finally {
                made.forEach(OnnxTensor::close);
            }
        }
    }

    private TensorInfo info(String input) {
        return graph.inputs().get(input);
    }

    private String where(String input) {
        return graph.file() + " input '" + input + "'";
    }
}

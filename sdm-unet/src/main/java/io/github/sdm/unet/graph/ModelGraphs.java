package io.github.sdm.unet.graph;

import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.model.ConfigFile;
import io.github.sdm.core.model.LoraAdapter;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.model.Precision;
import io.github.sdm.core.safetensors.SafetensorsWeights;
import io.github.sdm.unet.config.AutoencoderKLConfig;
import io.github.sdm.unet.config.AutoencoderTinyConfig;
import io.github.sdm.unet.config.CLIPTextConfig;
import io.github.sdm.unet.config.UNetConfig;
import io.github.sdm.unet.ldm.LdmCheckpoint;
import io.github.sdm.unet.ldm.LdmUNetLayout;
import io.github.sdm.unet.lora.LoraAdapters;
import io.github.sdm.unet.lora.LoraNetwork;
import io.github.sdm.unet.lora.LoraTargets;
import io.github.sdm.unet.lora.WeightedLayer;
import io.github.sdm.unet.weights.WeightSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * The four graphs of a Stable Diffusion model built from its diffusers configs and safetensors weights (the VAE an
 * {@code AutoencoderKL} or a TAESD {@code AutoencoderTiny}, e.g. from another folder): a diffusers
 * folder, a single-file LDM checkpoint (its keys mapped to diffusers' names, as the djl backend reads it) or either
 * with component folders ({@link ModelLocation#withComponent}). The weight files stay open until {@link #close()}, so
 * that the engine can map each weight when it opens the graphs; the mappings outlive the files.
 *
 * @see UNetGraph
 * @see AutoencoderGraphs
 * @see TinyAutoencoderGraphs
 * @see ClipTextGraph
 */
public final class ModelGraphs implements AutoCloseable {
    /** The config key of sdm's multi-expert conditional convolutions, which have no graph emitter. */
    static final String CONDCONV_KEY = "sdm_condconv";
    private static final String CONFIG = "config.json";

    private final List<AutoCloseable> files = new ArrayList<>();
    private final CLIPTextConfig textConfig;
    private final UNetConfig unetConfig;
    private final ConfigFile vaeConfig;
    private BuiltGraph textEncoder;
    private BuiltGraph unet;
    private WeightSource unetWeights;
    private BuiltGraph vaeDecoder;
    private BuiltGraph vaeEncoder;

    private ModelGraphs(CLIPTextConfig textConfig, UNetConfig unetConfig, ConfigFile vaeConfig) {
        this.textConfig = textConfig;
        this.unetConfig = unetConfig;
        this.vaeConfig = vaeConfig;
    }

    /**
     * Why sdm cannot build graphs for {@code location}, or null when it can (configs are read, weights are not).
     *
     * @param location a diffusers folder or single-file checkpoint
     * @return the reason, or null
     */
    public static String problem(ModelLocation location) {
        if (location.isSingleFile() && !location.checkpoint().getFileName().toString().endsWith(".safetensors")) {
            return "checkpoint " + location.checkpoint() + " is not a .safetensors file";
        }
        for (String name : List.of("text_encoder", "unet", "vae")) {
            Path config = location.componentFolder(name).resolve(CONFIG);
            if (!Files.isRegularFile(config)) {
                return (location.isOverridden(name) ? "the " + name + " folder " + location.componentFolder(name)
                        : name + "/") + " has no " + CONFIG;
            }
        }
        try {
            ConfigFile vae = ConfigFile.read(location.componentFolder("vae").resolve(CONFIG));
            boolean tiny = isTiny(vae);
            if (tiny && fromCheckpoint(location, "vae")) {
                return "the VAE config " + vae.source() + " names " + AutoencoderTinyConfig.CLASS_NAME + " (TAESD), "
                        + "but the single-file checkpoint " + location.checkpoint() + " holds an AutoencoderKL; give "
                        + "a TAESD as its own vae folder (ModelLocation.withComponent)";
            }
            ConfigFile unet = ConfigFile.read(location.componentFolder("unet").resolve(CONFIG));
            if (unet.has(CONDCONV_KEY)) {
                return unet.source() + " asks for multi-expert conditional convolutions ('" + CONDCONV_KEY + "'), "
                        + "for which sdm builds no graph; use the djl backend";
            }
            // the configs sdm does not support fail here, naming the key, before any weight is read
            UNetConfig.from(unet);
            if (tiny) {
                AutoencoderTinyConfig.from(vae);
            } else {
                AutoencoderKLConfig.from(vae);
            }
            CLIPTextConfig.read(location.componentFolder("text_encoder").resolve(CONFIG));
        } catch (ModelFormatException e) {
            return e.getMessage();
        }
        return null;
    }

    /**
     * Reads the configs of {@code location} and builds its graphs; the weight files stay open until
     * {@link #close()}.
     *
     * @throws ModelFormatException if a config is not one sdm supports, or a weight is missing or misshapen (the
     *     message names the file and key)
     */
    public static ModelGraphs build(ModelLocation location) {
        return build(location, Precision.FP32, List.of());
    }

    /**
     * Reads the configs of {@code location} and builds its graphs with the linear and convolution weights held in
     * {@code storage} and {@code loras} merged into the text encoder's and the UNet's weights (as the djl backend
     * merges them: {@code W + multiplier * scale * up @ down}); the weight files stay open until {@link #close()}.
     *
     * @param storage FP32 (the checkpoint's values, half-precision files widened), FP16, BF16 or INT8
     * @param loras the adapters to merge, each with its multiplier (0 checks the file against the model and changes
     *     nothing)
     * @throws ModelFormatException if a config is not one sdm supports, a weight is missing or misshapen (the message
     *     names the file and key), or a LoRA file does not fit the model
     */
    public static ModelGraphs build(ModelLocation location, Precision storage, List<LoraAdapter> loras) {
        String problem = problem(location);
        if (problem != null) {
            throw new ModelFormatException("sdm cannot build ONNX graphs for " + location.folder() + ": " + problem);
        }
        Path textFolder = location.componentFolder("text_encoder");
        Path unetFolder = location.componentFolder("unet");
        Path vaeFolder = location.componentFolder("vae");
        CLIPTextConfig clip = CLIPTextConfig.read(textFolder.resolve(CONFIG));
        UNetConfig unetConfig = UNetConfig.read(unetFolder.resolve(CONFIG));
        ConfigFile vaeFile = ConfigFile.read(vaeFolder.resolve(CONFIG));
        ModelGraphs graphs = new ModelGraphs(clip, unetConfig, vaeFile);
        try {
            LdmCheckpoint checkpoint = location.isSingleFile() ? graphs.keep(LdmCheckpoint.open(location.checkpoint()))
                    : null;
            graphs.textEncoder = ClipTextGraph.build(clip, fromCheckpoint(location, "text_encoder")
                    ? checkpoint.textEncoder(clip) : graphs.folder(textFolder), storage);
            graphs.unetWeights = fromCheckpoint(location, "unet")
                    ? checkpoint.unet(LdmUNetLayout.of(unetConfig, unetFolder.resolve(CONFIG).toString()))
                    : graphs.folder(unetFolder);
            // with DeepCache's deep features as extra outputs (UNetGraph.loaded)
            graphs.unet = UNetGraph.loaded(unetConfig, graphs.unetWeights, storage).graph();
            if (isTiny(vaeFile)) {
                AutoencoderTinyConfig tiny = AutoencoderTinyConfig.from(vaeFile);
                WeightSource vaeWeights = graphs.folder(vaeFolder);
                graphs.vaeDecoder = TinyAutoencoderGraphs.decoder(tiny, vaeWeights, storage);
                graphs.vaeEncoder = TinyAutoencoderGraphs.encoder(tiny, vaeWeights, storage);
            } else {
                AutoencoderKLConfig vae = AutoencoderKLConfig.from(vaeFile);
                WeightSource vaeWeights = fromCheckpoint(location, "vae") ? checkpoint.vae(vae)
                        : graphs.folder(vaeFolder);
                graphs.vaeDecoder = AutoencoderGraphs.decoder(vae, vaeWeights, storage);
                graphs.vaeEncoder = AutoencoderGraphs.encoder(vae, vaeWeights, storage);
            }
            graphs.mergeLora(loras);
            return graphs;
        } catch (RuntimeException e) {
            graphs.close();
            throw e;
        }
    }

    /** The adapters' layers matched against the text encoder's and the UNet's layers, merged into their weights. */
    private void mergeLora(List<LoraAdapter> loras) {
        if (loras.isEmpty()) {
            return;
        }
        LoraTargets targets = new LoraTargets().with(LoraNetwork.TEXT_ENCODER, textEncoder.layerShapes())
                .with(LoraNetwork.UNET, unet.layerShapes());
        List<WeightedLayer> layers = LoraAdapters.read(loras, targets, EnumSet.allOf(LoraNetwork.class));
        textEncoder = textEncoder.withLora(LoraAdapters.of(layers, LoraNetwork.TEXT_ENCODER));
        unet = unet.withLora(LoraAdapters.of(layers, LoraNetwork.UNET));
    }

    /** Whether a VAE config is TAESD's ({@code AutoencoderTiny}). */
    private static boolean isTiny(ConfigFile vae) {
        return AutoencoderTinyConfig.CLASS_NAME.equals(vae.className());
    }

    private static boolean fromCheckpoint(ModelLocation location, String name) {
        return location.isSingleFile() && !location.isOverridden(name);
    }

    private WeightSource folder(Path folder) {
        return WeightSource.of(keep(SafetensorsWeights.openComponent(folder)));
    }

    private <T extends AutoCloseable> T keep(T file) {
        files.add(file);
        return file;
    }

    public CLIPTextConfig textConfig() {
        return textConfig;
    }

    public UNetConfig unetConfig() {
        return unetConfig;
    }

    /** The VAE's {@code config.json} (scaling and shift factors, latent channels). */
    public ConfigFile vaeConfig() {
        return vaeConfig;
    }

    public BuiltGraph textEncoder() {
        return textEncoder;
    }

    public BuiltGraph unet() {
        return unet;
    }

    /**
     * The UNet's weights, to build variants of its graph ({@link UNetGraph#variant}) later, with the storage this was
     * built with: their names and shapes stay readable after {@link #close()} (the variants take the tensors, LoRA
     * merged and converted to the storage type, from the opened graph's session).
     */
    public WeightSource unetWeights() {
        return unetWeights;
    }

    public BuiltGraph vaeDecoder() {
        return vaeDecoder;
    }

    public BuiltGraph vaeEncoder() {
        return vaeEncoder;
    }

    /** Closes the weight files (mappings already taken stay valid). */
    @Override
    public void close() {
        for (AutoCloseable file : files) {
            try {
                file.close();
            } catch (Exception e) {
                throw new ModelFormatException("cannot close a weight file: " + e.getMessage(), e);
            }
        }
        files.clear();
    }
}

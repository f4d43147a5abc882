package io.github.sdm.unet.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.github.sdm.core.PrecisionPlan;
import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.model.ConfigFile;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.model.Precision;
import io.github.sdm.core.model.VaeTiling;
import io.github.sdm.core.spi.DiffusionNetworks;
import io.github.sdm.core.spi.LoadVerdict;
import io.github.sdm.core.spi.ModelBackend;
import io.github.sdm.unet.config.AutoencoderKLConfig;
import io.github.sdm.unet.config.AutoencoderTinyConfig;
import io.github.sdm.unet.config.CLIPTextConfig;
import io.github.sdm.unet.config.UNetConfig;
import io.github.sdm.unet.config.VaeTileSize;
import io.github.sdm.unet.djl.clip.CLIPTextModel;
import io.github.sdm.unet.djl.lora.LoraApplication;
import io.github.sdm.unet.djl.nn.Network;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;
import io.github.sdm.unet.djl.unet.UNetLayerFactory;
import io.github.sdm.unet.djl.unet.UNetLayerProvider;
import io.github.sdm.unet.djl.vae.AutoencoderKL;
import io.github.sdm.unet.djl.vae.AutoencoderTiny;
import io.github.sdm.unet.ldm.LdmCheckpoint;
import io.github.sdm.unet.ldm.LdmUNetLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The networks on DJL's PyTorch engine, from a diffusers folder of safetensors weights or a single-file LDM
 * checkpoint, each network optionally from its own folder ({@link ModelLocation#withComponent}), with the LoRA
 * adapters of {@link LoadOptions#loras()} merged into the weights. The VAE is an {@code AutoencoderKL} or, by
 * its config's {@code _class_name}, a TAESD {@code AutoencoderTiny}.
 *
 * <p>Precision ({@link PrecisionPlan}): weights held as FP32, FP16 or INT8 (per-channel, convolution and linear
 * weights; see {@link Precision#INT8}), computed in FP32 or FP16, with diffusers' fp32 islands
 * ({@code upcast_attention}, the VAE's {@code force_upcast}); latents and embeddings cross every network's boundary
 * in FP32. BF16, as storage or compute, is refused at load: DJL 0.35.1's PyTorch bridge cannot make a bfloat16
 * array. A compute type is checked against the engine's kernels at load ({@code ComputeKernels}).
 */
public final class DjlBackend implements ModelBackend {
    /** The rank of this backend: the reference implementation, below backends that are faster on a format. */
    public static final int PRIORITY = 0;
    private static final List<String> NETWORKS = List.of("text_encoder", "unet", "vae");

    @Override
    public String name() {
        return "djl";
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    /** Merges {@link LoadOptions#loras()} into the text encoder's and the UNet's weights at load. */
    @Override
    public boolean mergesLora() {
        return true;
    }

    /**
     * Safetensors only: a single-file {@code .safetensors} checkpoint or component folders of safetensors; the
     * folders of the text encoder, UNet and VAE must exist (they hold the configs).
     */
    @Override
    public LoadVerdict canLoad(ModelLocation location) {
        if (location.isSingleFile() && !location.checkpoint().getFileName().toString().endsWith(".safetensors")) {
            return LoadVerdict.no("checkpoint " + location.checkpoint()
                    + " is not a .safetensors file (pickled .ckpt files are not read)");
        }
        for (String name : NETWORKS) {
            Path folder = location.componentFolder(name);
            if (!Files.isDirectory(folder)) {
                // even a single-file checkpoint takes each network's config from its folder
                return LoadVerdict.no(location.isOverridden(name) ? "the " + name + " folder " + folder + " is missing"
                        : name + "/ is missing (the folder of the " + name + "'s config.json"
                                + (location.isSingleFile() ? ")" : " and weights)"));
            }
            if (location.isSingleFile() && !location.isOverridden(name)) {
                continue;
            }
            Optional<String> onnx = fileEndingWith(folder, ".onnx");
            if (onnx.isPresent() && fileEndingWith(folder, ".safetensors").isEmpty()
                    && fileEndingWith(folder, ".safetensors.index.json").isEmpty()) {
                String where = location.isOverridden(name) ? "the " + name + " folder " + folder : name + "/";
                return LoadVerdict.no(where + " has " + onnx.get() + ", not safetensors");
            }
        }
        return LoadVerdict.yes();
    }

    private static Optional<String> fileEndingWith(Path folder, String suffix) {
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(suffix)).sorted().findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    @Override
    public DiffusionNetworks load(ModelLocation location, LoadOptions options) {
        DjlEngineSetup.beforeEngineStart(!options.device().equals("cpu"));
        Device device = device(options);
        Path textFolder = component(location, "text_encoder");
        Path unetFolder = component(location, "unet");
        Path vaeFolder = component(location, "vae");
        CLIPTextConfig clipConfig = CLIPTextConfig.read(textFolder.resolve(CLIPTextModel.CONFIG_FILE));
        ConfigFile unetFile = ConfigFile.read(unetFolder.resolve(UNet2DConditionModel.CONFIG_FILE));
        UNetConfig unetConfig = UNetConfig.from(unetFile);
        UNetLayerFactory unetLayers = UNetLayerProvider.forConfig(unetFile);
        ConfigFile vaeFile = ConfigFile.read(vaeFolder.resolve(AutoencoderKL.CONFIG_FILE));
        boolean tinyVae = AutoencoderTinyConfig.CLASS_NAME.equals(vaeFile.className());
        if (tinyVae && fromCheckpoint(location, "vae")) {
            throw vaeFile.invalid("_class_name", "the single-file checkpoint " + location.checkpoint()
                    + " holds an AutoencoderKL; give a TAESD as its own vae folder (ModelLocation.withComponent)");
        }
        AutoencoderTinyConfig tinyConfig = tinyVae ? AutoencoderTinyConfig.from(vaeFile) : null;
        AutoencoderKLConfig vaeConfig = tinyVae ? null : AutoencoderKLConfig.from(vaeFile);
        VaeTileSize vaeTiles = tinyVae ? null : VaeTileSize.from(vaeFile);
        if (tinyVae && options.vaeTiling() == VaeTiling.ON) {
            throw new SdmException("LoadOptions.vaeTiling ON: the VAE " + vaeFolder + " is an "
                    + AutoencoderTinyConfig.CLASS_NAME + " (TAESD), which this backend does not tile; tiling is "
                    + "diffusers' AutoencoderKL tiling (use AUTO or OFF with a TAESD)");
        }
        boolean vaeForceUpcast = tinyVae ? tinyConfig.forceUpcast() : vaeConfig.forceUpcast();
        PrecisionPlan plan = PrecisionPlan.of(options, unetConfig.upcastAttention(), vaeForceUpcast);
        requireRunnable(options, plan);
        Precision storage = plan.weights();
        if (options.threads() > 0) {
            // the thread setting is a native call: the engine must have loaded its natives first
            Engine.getEngine("PyTorch");
            JniUtils.setNumThreads(options.threads());
        }
        NDManager manager = NDManager.newBaseManager(device, "PyTorch");
        try {
            requireKernels(options, plan, manager);
            // each loader reads its network anew, so that stage residency can release it and load it again
            Supplier<CLIPTextModel> clipLoader = () -> fromCheckpoint(location, "text_encoder")
                    ? fromCheckpoint(location, checkpoint -> CLIPTextModel.load(clipConfig,
                            checkpoint.textEncoder(clipConfig), manager, storage))
                    : Network.fromComponentFolder(textFolder, storage,
                            w -> CLIPTextModel.load(clipConfig, w, manager, storage));
            Supplier<UNet2DConditionModel> unetLoader = () -> fromCheckpoint(location, "unet")
                    ? fromCheckpoint(location, checkpoint -> UNet2DConditionModel.load(unetConfig, unetLayers,
                            checkpoint.unet(LdmUNetLayout.of(unetConfig, unetFolder.resolve(UNet2DConditionModel.CONFIG_FILE).toString())),
                            manager, storage))
                    : Network.fromComponentFolder(unetFolder, storage,
                            w -> UNet2DConditionModel.load(unetConfig, unetLayers, w, manager, storage));
            Supplier<Network> vaeLoader = () -> tinyVae
                    ? Network.fromComponentFolder(vaeFolder, storage,
                            w -> AutoencoderTiny.load(tinyConfig, w, manager, storage))
                    : fromCheckpoint(location, "vae")
                    ? fromCheckpoint(location, checkpoint -> AutoencoderKL.load(vaeConfig, checkpoint.vae(vaeConfig), manager, storage))
                    : Network.fromComponentFolder(vaeFolder, storage,
                            w -> AutoencoderKL.load(vaeConfig, w, manager, storage));
            CLIPTextModel clip = clipLoader.get();
            UNet2DConditionModel unet = unetLoader.get();
            Network vae = vaeLoader.get();
            if (!options.loras().isEmpty()) {
                // merged for good: the handles' originals stay mapped views, freed with the model
                LoraApplication.merge(options.loras(), clip, unet);
            }
            NativeHeap.trim(); // the conversions' freed temporaries (see ReleasableNetwork.load)
            return new DjlNetworks(manager, new ReleasableNetwork<>("text encoder", clipLoader, clip),
                    new ReleasableNetwork<>("UNet", unetLoader, unet), new ReleasableNetwork<>("VAE", vaeLoader, vae),
                    vaeTiles, options, plan);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Whether {@link DjlNetworks} can release and reload each network: yes, each is read again from its files. */
    @Override
    public boolean releasesPerStage() {
        return true;
    }

    /** One network read from the single-file checkpoint, opened for that read (its F32 weights stay mapped). */
    private static <N extends Network> N fromCheckpoint(ModelLocation location, Function<LdmCheckpoint, N> read) {
        try (LdmCheckpoint checkpoint = LdmCheckpoint.open(location.checkpoint())) {
            return read.apply(checkpoint);
        }
    }

    /** A single-file checkpoint supplies a network's weights unless the location takes it from another folder. */
    private static boolean fromCheckpoint(ModelLocation location, String name) {
        return location.isSingleFile() && !location.isOverridden(name);
    }

    /**
     * Refuses, naming the option and what to use instead, what this backend cannot run: BF16 weights or compute
     * (DJL 0.35.1's PyTorch bridge has no bfloat16 arrays: it aborts the process on one). FP32, FP16 and INT8
     * weights with FP32 or FP16 compute pass; whether the engine has FP16 kernels is checked on the device
     * afterwards ({@link #requireKernels}).
     */
    static void requireRunnable(LoadOptions options, PrecisionPlan plan) {
        String bridge = "DJL 0.35.1's PyTorch bridge has no bfloat16 arrays, so the djl backend cannot hold or "
                + "compute BF16";
        if (options.weightPrecision() == Precision.BF16) {
            throw new SdmException("LoadOptions.weightPrecision BF16 does not run on the djl backend: " + bridge
                    + "; hold the weights as FP16 or INT8 (--weights fp16|int8) for the memory saving");
        }
        if (options.computePrecision() == Precision.BF16) {
            throw new SdmException("LoadOptions.computePrecision BF16 does not run on the djl backend: " + bridge
                    + "; compute in FP16 or FP32 (--compute fp16|fp32; plan asked for: " + plan + ")");
        }
    }

    /** A half-precision compute type must have the engine's kernels for every operator the networks use. */
    private static void requireKernels(LoadOptions options, PrecisionPlan plan, NDManager manager) {
        for (Precision compute : new Precision[] {plan.textEncoder(), plan.unet(), plan.vae()}) {
            if (compute != Precision.FP32) {
                ComputeKernels.require(compute, "LoadOptions.computePrecision " + compute, manager,
                        ComputeKernels.OPERATORS);
                return;
            }
        }
    }

    /** The folder of a network: its override, else the main folder's sub-folder (configs even for single files). */
    private static Path component(ModelLocation location, String name) {
        Path path = location.componentFolder(name);
        if (!Files.isDirectory(path)) {
            throw new ModelFormatException(location.isOverridden(name)
                    ? "Folder of component '" + name + "' not found: " + path
                    : "Model folder " + location.folder() + " has no '" + name + "' component folder");
        }
        return path;
    }

    /**
     * DJL's PyTorch engine, started for device {@code name}; a failure to start (natives of another PyTorch version or
     * build than the glue in pytorch-jni 2.7.1-0.35.1 expects) names the natives it was pointed at and what they must be.
     */
    private static Engine startedForGpu(String name) {
        try {
            return Engine.getEngine("PyTorch");
        } catch (RuntimeException | LinkageError e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new SdmException("device '" + name + "': DJL's PyTorch engine could not start with the natives it "
                    + "found (" + e.getMessage() + (root != e ? ": " + root.getMessage() : "") + "); PYTORCH_LIBRARY_PATH="
                    + nativesSetting("PYTORCH_LIBRARY_PATH") + ", PYTORCH_VERSION=" + nativesSetting("PYTORCH_VERSION")
                    + ", PYTORCH_FLAVOR=" + nativesSetting("PYTORCH_FLAVOR") + ": the djl backend's JNI glue "
                    + "(pytorch-jni 2.7.1-0.35.1) needs libtorch 2.7.1, built for CUDA 12.8 (flavor cu128) on a GPU; "
                    + "point PYTORCH_LIBRARY_PATH at such a libtorch with PYTORCH_VERSION=2.7.1 and "
                    + "PYTORCH_FLAVOR=cu128, or load with device 'cpu'; see docs/gpu.md", e);
        }
    }

    /** A setting DJL reads from the environment, else from the system properties, as DJL does. */
    private static String nativesSetting(String name) {
        String value = System.getenv(name);
        return value != null ? value : System.getProperty(name);
    }

    /** The engine's device for {@code options.device()}, or a clear error when the GPU is not there. */
    static Device device(LoadOptions options) {
        String name = options.device();
        if (name.equals("cpu")) {
            return Device.cpu();
        }
        int index = name.contains(":") ? Integer.parseInt(name.substring(name.indexOf(':') + 1)) : 0;
        int gpus = startedForGpu(name).getGpuCount();
        if (index >= gpus) {
            throw new SdmException("device '" + name + "' was asked for but " + (gpus == 0
                    ? "DJL's PyTorch " + Engine.getEngine("PyTorch").getVersion() + " natives see no GPU: either the "
                            + "machine has none (nvidia-smi lists them) or the natives are the CPU build (Maven Central "
                            + "has no CUDA build of PyTorch 2.7.1): point PYTORCH_LIBRARY_PATH at libtorch 2.7.1 for "
                            + "CUDA 12.8 (e.g. the torch/lib folder of pip's torch==2.7.1+cu128) with "
                            + "PYTORCH_VERSION=2.7.1 and PYTORCH_FLAVOR=cu128, or load with device 'cpu'; see docs/gpu.md"
                    : "only " + gpus + " GPU(s) exist (numbered from 0)"));
        }
        return Device.gpu(index);
    }
}

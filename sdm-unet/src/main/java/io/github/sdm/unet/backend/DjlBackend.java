package io.github.sdm.unet.backend;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.github.sdm.core.LoadOptions;
import io.github.sdm.core.ModelFormatException;
import io.github.sdm.core.ModelLocation;
import io.github.sdm.core.Precision;
import io.github.sdm.core.SdmException;
import io.github.sdm.core.spi.DiffusionNetworks;
import io.github.sdm.core.spi.ModelBackend;
import io.github.sdm.unet.clip.CLIPTextConfig;
import io.github.sdm.unet.clip.CLIPTextModel;
import io.github.sdm.unet.ldm.LdmCheckpoint;
import io.github.sdm.unet.ldm.LdmUNetLayout;
import io.github.sdm.unet.unet.UNet2DConditionModel;
import io.github.sdm.unet.unet.UNetConfig;
import io.github.sdm.unet.vae.AutoencoderKL;
import io.github.sdm.unet.vae.AutoencoderKLConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/** The networks on DJL's PyTorch engine, from a diffusers folder or a single-file LDM checkpoint. */
public final class DjlBackend implements ModelBackend {

    @Override
    public String name() {
        return "djl";
    }

    @Override
    public boolean canLoad(ModelLocation location) {
        return location.isSingleFile() || Files.isDirectory(location.folder().resolve("unet"));
    }

    @Override
    public DiffusionNetworks load(ModelLocation location, LoadOptions options) {
        Device device = device(options);
        if (options.precision() != Precision.FP32 && !device.isGpu()) {
            throw new SdmException("precision " + options.precision() + " needs a GPU; CPU runs compute in FP32");
        }
        if (options.threads() > 0) {
            JniUtils.setNumThreads(options.threads());
        }
        NDManager manager = NDManager.newBaseManager(device, "PyTorch");
        try {
            Path folder = location.folder();
            return location.isSingleFile() ? loadSingleFile(location.checkpoint(), folder, manager, options)
                    : new DjlNetworks(manager,
                            CLIPTextModel.load(component(folder, "text_encoder"), manager),
                            UNet2DConditionModel.load(component(folder, "unet"), manager),
                            AutoencoderKL.load(component(folder, "vae"), manager), options);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** A single-file LDM checkpoint supplies the weights; the diffusers folder supplies the configs. */
    private static DjlNetworks loadSingleFile(Path checkpoint, Path folder, NDManager manager, LoadOptions options) {
        Path unetConfigFile = component(folder, "unet").resolve("config.json");
        UNetConfig unetConfig = UNetConfig.read(unetConfigFile);
        AutoencoderKLConfig vaeConfig = AutoencoderKLConfig.read(component(folder, "vae").resolve("config.json"));
        CLIPTextConfig clipConfig = CLIPTextConfig.read(component(folder, "text_encoder").resolve("config.json"));
        try (LdmCheckpoint file = LdmCheckpoint.open(checkpoint)) {
            return new DjlNetworks(manager,
                    CLIPTextModel.load(clipConfig, file.textEncoder(clipConfig), manager),
                    UNet2DConditionModel.load(unetConfig,
                            file.unet(LdmUNetLayout.of(unetConfig, unetConfigFile.toString())), manager),
                    AutoencoderKL.load(vaeConfig, file.vae(vaeConfig), manager), options);
        }
    }

    private static Path component(Path folder, String name) {
        Path path = folder.resolve(name);
        if (!Files.isDirectory(path)) {
            throw new ModelFormatException("Model folder " + folder + " has no '" + name + "' component folder");
        }
        return path;
    }

    /** The engine's device for {@code options.device()}, or a clear error when the GPU is not there. */
    static Device device(LoadOptions options) {
        String name = options.device();
        if (name.equals("cpu")) {
            return Device.cpu();
        }
        int index = name.contains(":") ? Integer.parseInt(name.substring(name.indexOf(':') + 1)) : 0;
        int gpus = Engine.getEngine("PyTorch").getGpuCount();
        if (index >= gpus) {
            throw new SdmException("device '" + name + "' was asked for but " + (gpus == 0
                    ? "no GPU is available (no CUDA device, or the CPU-only PyTorch natives are on the classpath; "
                            + "see sdm-cuda)"
                    : "only " + gpus + " GPU(s) exist"));
        }
        return Device.gpu(index);
    }
}

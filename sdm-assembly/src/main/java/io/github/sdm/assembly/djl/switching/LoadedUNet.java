package io.github.sdm.assembly.djl.switching;

import ai.djl.ndarray.NDManager;
import io.github.sdm.assembly.switching.SecondUNet;
import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.unet.config.UNetConfig;
import io.github.sdm.unet.djl.DjlEngineSetup;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;
import java.nio.file.Files;
import java.nio.file.Path;

/** A second UNet on the DJL engine, loaded once and shared (read-only) by every generation that switches to it. */
public final class LoadedUNet implements SecondUNet {
    private final Path folder;
    private final NDManager manager;
    private final UNet2DConditionModel model;

    private LoadedUNet(Path folder, NDManager manager, UNet2DConditionModel model) {
        this.folder = folder;
        this.manager = manager;
        this.model = model;
    }

    /** Loads the UNet of a model folder ({@code folder/unet}) or of a UNet component folder. */
    public static LoadedUNet load(Path folder) {
        Path unet = Files.isRegularFile(folder.resolve("unet").resolve("config.json")) ? folder.resolve("unet") : folder;
        if (!Files.isRegularFile(unet.resolve("config.json"))) {
            throw new ModelFormatException(folder + ": neither a model folder with unet/config.json nor a UNet folder"
                    + " with config.json");
        }
        DjlEngineSetup.beforeEngineStart(false);
        NDManager manager = NDManager.newBaseManager("PyTorch");
        try {
            return new LoadedUNet(unet, manager, UNet2DConditionModel.load(unet, manager));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    @Override
    public Path folder() {
        return folder;
    }

    @Override
    public UNetConfig config() {
        return model.config();
    }

    UNet2DConditionModel model() {
        return model;
    }

    @Override
    public void close() {
        try {
            model.close();
        } finally {
            manager.close();
        }
    }
}

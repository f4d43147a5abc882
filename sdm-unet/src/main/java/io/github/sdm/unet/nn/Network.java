package io.github.sdm.unet.nn;

import ai.djl.ndarray.NDManager;
import io.github.sdm.core.safetensors.SafetensorsWeights;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * A whole network (UNet, VAE, text encoder): the root part, which owns the manager its weights live in.
 * {@link #close()} frees them.
 */
public abstract class Network extends Part implements AutoCloseable {
    private NDManager weightsManager;

    protected Network() {
        super("");
    }

    /**
     * Opens the weights of a diffusers or transformers component folder (one safetensors file or a sharded
     * set; an fp16 variant when it is the only one) and builds the network from them. The file is closed
     * afterwards: F32 weights stay mapped, other dtypes were converted.
     */
    public static <N extends Network> N fromComponentFolder(Path folder, Function<WeightSource, N> build) {
        try (SafetensorsWeights weights = SafetensorsWeights.openComponent(folder)) {
            return build.apply(WeightSource.of(weights));
        }
    }

    /** Fills {@code network}'s parameters from {@code weights}; on any error frees what was loaded. */
    protected static <N extends Network> N withWeights(N network, WeightSource weights, NDManager manager) {
        try {
            WeightLoader.load(network, weights, ((Network) network).ownWeights(manager));
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
        return network;
    }

    /** Fills {@code network}'s parameters with seeded random values, for timing without a checkpoint. */
    protected static <N extends Network> N withRandomWeights(N network, long seed, NDManager manager) {
        RandomWeights.initialize(network, seed, ((Network) network).ownWeights(manager));
        return network;
    }

    /** The manager this network's weights go to: a sub-manager of {@code manager}, freed by {@link #close()}. */
    private NDManager ownWeights(NDManager manager) {
        if (weightsManager != null) {
            throw new IllegalStateException("weights are already loaded");
        }
        weightsManager = manager.newSubManager();
        return weightsManager;
    }

    @Override
    public void close() {
        if (weightsManager != null) {
            weightsManager.close();
            weightsManager = null;
        }
    }
}

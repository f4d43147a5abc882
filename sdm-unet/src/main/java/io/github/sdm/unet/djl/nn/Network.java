package io.github.sdm.unet.djl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.github.sdm.core.model.Precision;
import io.github.sdm.core.safetensors.SafetensorsWeights;
import io.github.sdm.unet.weights.Int8WeightFiles;
import io.github.sdm.unet.weights.WeightSource;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A whole network (UNet, VAE, text encoder): the root part, which owns the manager its weights live in.
 * {@link #close()} frees them.
 *
 * <p>For training, {@link #makeTrainable()} turns the weights into owned copies whose gradients the
 * engine collects, {@linkplain ForwardContext#withTraining training passes} record the computation, and
 * {@link #applyGradients} updates the weights in place (see the package documentation).
 */
public abstract class Network extends Part implements AutoCloseable {
    private NDManager weightsManager;

    /**
     * One optimizer update of one parameter: changes {@code weight} in place from {@code gradient}. The
     * signature of DJL's {@code Optimizer.update}, so {@code network.applyGradients(optimizer::update)}
     * works.
     */
    @FunctionalInterface
    public interface ParameterUpdate {
        void update(String key, NDArray weight, NDArray gradient);
    }

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

    /**
     * As {@link #fromComponentFolder(Path, Function)} for weights held as {@code storage}: with {@link Precision#INT8}
     * the folder's int8 weight file ({@link Int8WeightFiles}) when it has one, so the quantized weights are mapped as
     * the file holds them instead of quantized again; otherwise the plain weights.
     */
    public static <N extends Network> N fromComponentFolder(Path folder, Precision storage,
            Function<WeightSource, N> build) {
        if (storage == Precision.INT8) {
            Optional<Path> int8 = Int8WeightFiles.find(folder);
            if (int8.isPresent()) {
                try (SafetensorsWeights weights = SafetensorsWeights.open(int8.get())) {
                    return build.apply(WeightSource.of(weights));
                }
            }
        }
        return fromComponentFolder(folder, build);
    }

    /** Fills {@code network}'s parameters from {@code weights}; on any error frees what was loaded. */
    protected static <N extends Network> N withWeights(N network, WeightSource weights, NDManager manager) {
        return withWeights(network, weights, manager, Precision.FP32);
    }

    /**
     * Fills {@code network}'s parameters from {@code weights}, held as {@code storage} (see {@link WeightLoader});
     * on any error frees what was loaded.
     */
    protected static <N extends Network> N withWeights(N network, WeightSource weights, NDManager manager,
            Precision storage) {
        try {
            WeightLoader.load(network, weights, ((Network) network).ownWeights(manager), storage);
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

    /**
     * Replaces every weight by an owned float32 copy that collects gradients (loaded weights may be
     * read-only views of a mapped file) and derives the parts' weight views from the copies. Inference
     * passes on the copies compute exactly what they computed before. Once trainable, always trainable;
     * calling it again does nothing.
     */
    public void makeTrainable() {
        GradMode.withoutRecording(() -> {
            for (Parameter p : allParameters().values()) {
                p.makeTrainable();
            }
            weightsChanged(this);
        });
    }

    /**
     * Puts new values in place of some weights (a merged LoRA) and derives the parts' weight views anew. The
     * previous values are handed back, not closed: the caller keeps them to put back later, bit for bit, or
     * closes them. The new values must have the parameters' shapes; the caller owns their memory.
     *
     * @param values full parameter key to its new value
     * @return full parameter key to its previous value
     * @throws IllegalArgumentException naming a key that is no parameter of this network, or a wrong shape
     */
    public Map<String, NDArray> replaceWeights(Map<String, NDArray> values) {
        Map<String, Parameter> parameters = allParameters();
        for (Map.Entry<String, NDArray> e : values.entrySet()) {
            Parameter p = parameters.get(e.getKey());
            if (p == null) {
                throw new IllegalArgumentException("no parameter '" + e.getKey() + "' in " + getClass().getSimpleName());
            }
            if (!Arrays.equals(p.shape(), e.getValue().getShape().getShape())) {
                throw new IllegalArgumentException("parameter '" + e.getKey() + "' has shape "
                        + Arrays.toString(p.shape()) + ", the new value " + e.getValue().getShape());
            }
        }
        Map<String, NDArray> previous = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : values.entrySet()) {
            previous.put(e.getKey(), parameters.get(e.getKey()).replace(e.getValue()));
        }
        weightsChanged(this);
        return previous;
    }

    /** Whether {@link #makeTrainable()} was called (every parameter collects its gradient). */
    public boolean isTrainable() {
        return allParameters().values().stream().allMatch(Parameter::isTrainable);
    }

    /**
     * One optimizer step: with gradient recording off, hands every parameter and its accumulated gradient
     * (zeros if no backward pass reached it) to {@code update}, which changes the weight in place; then
     * zeroes the gradients and derives the parts' weight views anew, so inference passes see the new
     * values.
     *
     * @throws IllegalStateException if the network is not {@linkplain #makeTrainable() trainable}
     */
    public void applyGradients(ParameterUpdate update) {
        requireTrainable();
        GradMode.withoutRecording(() -> {
            for (Parameter p : allParameters().values()) {
                try (NDArray gradient = p.value().getGradient()) {
                    update.update(p.key(), p.value(), gradient);
                }
            }
            zeroGradients();
            weightsChanged(this);
        });
    }

    /** Discards the gradients accumulated so far (backward passes add to them). */
    public void zeroGradients() {
        requireTrainable();
        for (Parameter p : allParameters().values()) {
            JniUtils.zeroGrad((PtNDArray) p.value());
        }
    }

    private void requireTrainable() {
        if (!isTrainable()) {
            throw new IllegalStateException(getClass().getSimpleName()
                    + " is not trainable: call makeTrainable() first");
        }
    }

    @Override
    public void close() {
        if (weightsManager != null) {
            weightsManager.close();
            weightsManager = null;
            // no array views the files any more: unmap them now rather than at some later collection
            for (Parameter p : allParameters().values()) {
                p.releaseMapping();
            }
        }
    }
}

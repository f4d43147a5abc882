package io.github.sdm.unet.djl.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.unet.djl.nn.Network;
import io.github.sdm.unet.djl.nn.Parameter;
import io.github.sdm.unet.lora.LoraLayer;
import io.github.sdm.unet.lora.WeightedLayer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adapters merged into a network's weights: {@code W' = W + sum of multiplier * scale * up @ down} (a
 * convolution's update {@code up [out, r] @ down [r, in*k*k]} reshaped to the weight). Only the touched
 * weights get new, owned arrays (the loaded ones may be read-only mapped views); the original arrays are
 * kept untouched, so {@link #unmerge()} puts them back bit for bit and frees the merged copies.
 *
 * <p>Not for a model that is generating: merge before generations start (at load) and unmerge after they end.
 */
public final class MergedLora implements AutoCloseable {
    private final Network network;
    private final NDManager manager;
    private Map<String, NDArray> originals;

    private MergedLora(Network network, NDManager manager, Map<String, NDArray> originals) {
        this.network = network;
        this.manager = manager;
        this.originals = originals;
    }

    /**
     * Merges {@code layers} (all of {@code network}) into its weights.
     *
     * @return the handle that unmerges
     */
    static MergedLora merge(Network network, List<WeightedLayer> layers) {
        Map<String, List<WeightedLayer>> byPart = new LinkedHashMap<>();
        for (WeightedLayer l : layers) {
            byPart.computeIfAbsent(l.layer().part(), p -> new ArrayList<>()).add(l);
        }
        Map<String, NDArray> merged = new LinkedHashMap<>();
        Map<String, Parameter> parameters = network.allParameters();
        NDManager manager = null;
        // the weights hold no gradients (unless trainable), so these products record no graph
        for (Map.Entry<String, List<WeightedLayer>> e : byPart.entrySet()) {
            Parameter parameter = parameters.get(LoraParts.weightKey(e.getKey()));
            NDArray weight = parameter.value();
            if (manager == null) {
                manager = weight.getManager().newSubManager();
            }
            if (parameter.isHeldAs(DataType.FLOAT32)) {
                merged.put(parameter.key(), mergedWeight(weight, e.getValue(), manager));
            } else {
                // a float16 or int8 weight merges in float32 and stays float32 until unmerged
                try (NDArray wide = parameter.convertedTo(DataType.FLOAT32)) {
                    merged.put(parameter.key(), mergedWeight(wide, e.getValue(), manager));
                }
            }
        }
        return new MergedLora(network, manager, merged.isEmpty() ? Map.of() : network.replaceWeights(merged));
    }

    /** {@code weight + sum of factor * up @ down}, in {@code manager}. */
    private static NDArray mergedWeight(NDArray weight, List<WeightedLayer> layers, NDManager manager) {
        Shape shape = weight.getShape();
        try (NDManager scope = manager.newSubManager()) {
            // no copy of the weight first: the first addition makes the new array, the scope frees the rest
            NDArray sum = weight;
            for (WeightedLayer l : layers) {
                LoraLayer layer = l.layer();
                NDArray down = scope.create(layer.down(), new Shape(layer.rank(), layer.down().length / layer.rank()));
                NDArray up = scope.create(layer.up(), new Shape(layer.outFeatures(), layer.rank()));
                NDArray delta = up.matMul(down).mul(l.factor()).reshape(shape);
                sum = sum.add(delta);
                sum.attach(scope);
            }
            sum.attach(manager);
            return sum;
        }
    }

    /** Whether the adapters are still merged. */
    public boolean isMerged() {
        return originals != null;
    }

    /** Puts the original weights back, bit for bit, and frees the merged copies. Once only; later calls do nothing. */
    public void unmerge() {
        if (originals == null) {
            return;
        }
        network.replaceWeights(originals);
        originals = null;
        if (manager != null) {
            manager.close();
        }
    }

    @Override
    public void close() {
        unmerge();
    }
}

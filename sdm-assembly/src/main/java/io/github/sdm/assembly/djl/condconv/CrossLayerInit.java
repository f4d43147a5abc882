package io.github.sdm.assembly.djl.condconv;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.unet.djl.nn.EngineScalars;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cross-layer initialisation of a {@link CondConv2d} from a teacher: the experts start from the kept
 * convolution and from the convolutions of the layers removed next to it, and the router starts so that
 * the mixture is exactly the kept convolution.
 *
 * <p>The router starts at zero (weight and bias), so every {@code r_i} is {@code sigmoid(0) = 1/2} for
 * every input. Experts 1..N-1 are the neighbours' convolutions in the order given (the kept one again where
 * there are fewer neighbours than experts); expert 0 is {@code 2 W_kept - sum_{i>=1} W_i} (biases alike), so
 * {@code sum_i r_i W_i = W_kept}: the student computes what it computed with a plain convolution, and
 * training moves the router away from the even mix towards the neighbours' kernels.
 */
public final class CrossLayerInit {
    private CrossLayerInit() {
    }

    /**
     * The parameters of the conditional convolution {@code studentConv} (keys {@code <studentConv>.weight},
     * {@code .bias}, {@code .experts.weight}, {@code .experts.bias}, {@code .router.weight}, {@code .router.bias}),
     * in {@code manager}.
     *
     * @param teacher the teacher's weights by checkpoint key
     * @param keptConv the teacher's convolution the student keeps (e.g. {@code down_blocks.1.resnets.0.conv1})
     * @param neighbours the teacher's convolutions of removed layers next to it, at most {@code experts - 1},
     *     each of the kept one's shape
     * @throws IllegalArgumentException naming a missing key, a neighbour of another shape, or too many neighbours
     */
    public static Map<String, NDArray> weights(Map<String, NDArray> teacher, String keptConv, List<String> neighbours,
            String studentConv, int experts, NDManager manager) {
        if (experts < 2) {
            throw new IllegalArgumentException(studentConv + ": a conditional convolution needs at least 2 experts, not " + experts);
        }
        if (neighbours.size() > experts - 1) {
            throw new IllegalArgumentException(studentConv + ": " + neighbours.size() + " neighbour convolutions "
                    + neighbours + " for " + (experts - 1) + " extra experts");
        }
        NDArray keptWeight = tensor(teacher, keptConv + ".weight");
        NDArray keptBias = tensor(teacher, keptConv + ".bias");
        List<NDArray> weights = new ArrayList<>();
        List<NDArray> biases = new ArrayList<>();
        for (int i = 0; i < experts - 1; i++) {
            String source = i < neighbours.size() ? neighbours.get(i) : keptConv;
            NDArray w = tensor(teacher, source + ".weight");
            NDArray b = tensor(teacher, source + ".bias");
            if (!w.getShape().equals(keptWeight.getShape()) || !b.getShape().equals(keptBias.getShape())) {
                throw new IllegalArgumentException("neighbour convolution '" + source + "' has weight "
                        + w.getShape() + ", the kept '" + keptConv + "' " + keptWeight.getShape());
            }
            weights.add(w);
            biases.add(b);
        }
        Map<String, NDArray> out = new LinkedHashMap<>();
        out.put(studentConv + ".weight", firstExpert(keptWeight, weights, manager));
        out.put(studentConv + ".bias", firstExpert(keptBias, biases, manager));
        out.put(studentConv + ".experts.weight", stacked(weights, manager));
        out.put(studentConv + ".experts.bias", stacked(biases, manager));
        long inChannels = keptWeight.getShape().get(1);
        out.put(studentConv + ".router.weight", manager.zeros(new Shape(experts, inChannels), DataType.FLOAT32));
        out.put(studentConv + ".router.bias", manager.zeros(new Shape(experts), DataType.FLOAT32));
        return out;
    }

    private static NDArray tensor(Map<String, NDArray> teacher, String key) {
        NDArray value = teacher.get(key);
        if (value == null) {
            throw new IllegalArgumentException("the teacher has no weight '" + key + "'");
        }
        return value;
    }

    /** {@code 2 kept - sum(others)}, so that half of all the experts' sum is {@code kept}. */
    private static NDArray firstExpert(NDArray kept, List<NDArray> others, NDManager manager) {
        NDArray keptCopy = kept.toType(DataType.FLOAT32, true);
        NDArray first = EngineScalars.times(keptCopy, 2f);
        keptCopy.close();
        for (NDArray other : others) {
            NDArray next = first.sub(other.toType(DataType.FLOAT32, false));
            first.close();
            first = next;
        }
        first.attach(manager);
        return first;
    }

    private static NDArray stacked(List<NDArray> arrays, NDManager manager) {
        NDArray out = NDArrays.stack(new NDList(arrays), 0).toType(DataType.FLOAT32, false);
        out.attach(manager);
        return out;
    }
}

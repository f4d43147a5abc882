package io.github.sdm.unet.djl.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.unet.djl.nn.Conv2d;
import io.github.sdm.unet.djl.nn.Network;
import io.github.sdm.unet.djl.nn.Part;
import io.github.sdm.unet.djl.nn.PartInterceptor;
import io.github.sdm.unet.lora.LoraLayer;
import io.github.sdm.unet.lora.WeightedLayer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The per-generation route: adds {@code multiplier * scale * up(down(x))} to the output of every adapted
 * linear or convolution part, leaving the shared weights untouched (so a concurrent generation without the
 * adapter is unaffected). A LoCon adapter's down projection is a convolution with the part's kernel, stride and
 * padding, its up projection a 1x1 convolution. Costs two small products per adapted part and call.
 *
 * <p>Holds the adapters' arrays in its own manager until {@link #close()}; read-only during calls, so one
 * instance may serve the calls of one generation (or several threads).
 */
public final class LoraInterceptor implements PartInterceptor, AutoCloseable {
    private static final Shape UNIT = new Shape(1, 1);

    /** One adapter on one part: its down and (pre-scaled) up arrays. */
    private record Adapter(NDArray down, NDArray up, boolean convolution, Shape stride, Shape padding) {

        /** The update for {@code x}, in x's type: the adapters' float32 products, cast for half-precision compute. */
        NDArray apply(NDArray x) {
            if (x.getDataType() == down.getDataType()) {
                return product(x);
            }
            try (NDArray wide = x.toType(down.getDataType(), false); NDArray delta = product(wide)) {
                return delta.toType(x.getDataType(), false);
            }
        }

        private NDArray product(NDArray x) {
            if (!convolution) {
                try (NDArray h = x.getNDArrayInternal().linear(x, down, null).singletonOrThrow()) {
                    return h.getNDArrayInternal().linear(h, up, null).singletonOrThrow();
                }
            }
            try (NDArray h = x.getNDArrayInternal().convolution(x, down, null, stride, padding, UNIT, 1)
                    .singletonOrThrow()) {
                return h.getNDArrayInternal().convolution(h, up, null, UNIT, new Shape(0, 0), UNIT, 1)
                        .singletonOrThrow();
            }
        }
    }

    private final NDManager manager;
    private final Map<String, List<Adapter>> byPart = new HashMap<>();

    private LoraInterceptor(NDManager manager) {
        this.manager = manager;
    }

    /**
     * The interceptor for {@code layers} (all of {@code network}).
     *
     * @param parent the adapters' arrays live in a sub-manager of this one until {@link #close()}
     */
    static LoraInterceptor of(Network network, List<WeightedLayer> layers, NDManager parent) {
        Map<String, Part> parts = LoraParts.byName(network);
        LoraInterceptor interceptor = new LoraInterceptor(parent.newSubManager());
        for (WeightedLayer l : layers) {
            LoraLayer layer = l.layer();
            Part part = parts.get(layer.part());
            NDManager m = interceptor.manager;
            NDArray up = m.create(layer.up(), new Shape(layer.outFeatures(), layer.rank())).mul(l.factor());
            Adapter adapter;
            if (part instanceof Conv2d conv) {
                int k = layer.kernelSize();
                NDArray down = m.create(layer.down(), new Shape(layer.rank(), layer.inFeatures(), k, k));
                // a 1x1 down on a 1x1 convolution runs with its stride; a LoCon down has the part's padding too
                adapter = new Adapter(down, up.reshape(layer.outFeatures(), layer.rank(), 1, 1), true,
                        new Shape(conv.stride(), conv.stride()), new Shape(conv.padding(), conv.padding()));
            } else {
                NDArray down = m.create(layer.down(), new Shape(layer.rank(), layer.inFeatures()));
                adapter = new Adapter(down, up, false, null, null);
            }
            interceptor.byPart.computeIfAbsent(layer.part(), p -> new ArrayList<>()).add(adapter);
        }
        return interceptor;
    }

    /** Whether no part is adapted. */
    boolean isEmpty() {
        return byPart.isEmpty();
    }

    @Override
    public NDList around(String partName, NDList inputs, Function<NDList, NDList> compute) {
        NDList out = compute.apply(inputs);
        List<Adapter> adapters = byPart.get(partName);
        if (adapters == null) {
            return out;
        }
        NDArray x = inputs.head();
        NDArray y = out.head();
        for (Adapter adapter : adapters) {
            try (NDArray delta = adapter.apply(x)) {
                NDArray sum = y.add(delta);
                y.close();
                y = sum;
            }
        }
        return new NDList(y);
    }

    @Override
    public void close() {
        manager.close();
    }
}

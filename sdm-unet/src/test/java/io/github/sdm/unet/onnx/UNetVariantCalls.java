package io.github.sdm.unet.onnx;

import ai.onnxruntime.OnnxTensor;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.unet.graph.UNetCut;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * One call of the tiny model's UNet (batch 2, 8 x 8 latents, 77 tokens, fixed random values and timestep 700), run on
 * any variant of a built UNet graph: the variant's prediction and the values it exposes.
 */
final class UNetVariantCalls implements AutoCloseable {
    private final GraphSettings settings;
    private final Map<String, OnnxTensor> feeds = new HashMap<>();

    /** @param base the loaded UNet graph, whose inputs' element types the feeds take */
    UNetVariantCalls(GraphSettings settings, OnnxGraph base) {
        this.settings = settings;
        feeds.put("sample", tensor(base, "sample", 1, 2, 4, 8, 8));
        feeds.put("timestep", OnnxValues.floats(settings.environment(), new FloatTensor(new float[] {700f, 700f},
                new int[] {2}), base.inputs().get("timestep"), "timestep"));
        feeds.put("encoder_hidden_states", tensor(base, "encoder_hidden_states", 2, 2, 77, 32));
    }

    private OnnxTensor tensor(OnnxGraph base, String input, long seed, int... shape) {
        Random random = new Random(seed);
        float[] data = new float[(int) FloatTensor.count(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian();
        }
        return OnnxValues.floats(settings.environment(), new FloatTensor(data, shape), base.inputs().get(input), input);
    }

    /** Runs {@code cut}'s variant on the fixed inputs and {@code fed}, returning its prediction and exposed values. */
    Map<String, FloatTensor> run(OnnxUNetVariants variants, UNetCut cut, Map<String, FloatTensor> fed) {
        OnnxGraph graph = variants.graph(cut);
        Map<String, OnnxTensor> all = new HashMap<>(feeds);
        try {
            fed.forEach((name, value) -> all.put(name, OnnxValues.floats(settings.environment(), value,
                    graph.inputs().get(name), name)));
            Set<String> wanted = new LinkedHashSet<>(cut.exposed());
            wanted.add("out_sample");
            return graph.run(all, wanted);
        } finally {
            all.forEach((name, tensor) -> {
                if (!feeds.containsKey(name)) {
                    tensor.close();
                }
            });
        }
    }

    /** The whole graph's prediction. */
    FloatTensor whole(OnnxUNetVariants variants) {
        return run(variants, UNetCut.NONE, Map.of()).get("out_sample");
    }

    @Override
    public void close() {
        feeds.values().forEach(OnnxTensor::close);
    }
}

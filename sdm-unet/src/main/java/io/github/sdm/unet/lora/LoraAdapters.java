package io.github.sdm.unet.lora;

import io.github.sdm.core.model.LoraAdapter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads adapters' files against a model's parts, logging the keys an adapter lets it skip: the layers every engine
 * merges or applies, each with its adapter's multiplier.
 */
public final class LoraAdapters {
    private static final Logger LOG = LoggerFactory.getLogger(LoraAdapters.class);

    private LoraAdapters() {
    }

    /** The layers of {@code network} among {@code layers}, in order. */
    public static List<WeightedLayer> of(List<WeightedLayer> layers, LoraNetwork network) {
        return layers.stream().filter(l -> l.layer().network() == network).toList();
    }

    /** Every layer of {@code adapters} on {@code networks}, each with its adapter's multiplier, in order. */
    public static List<WeightedLayer> read(List<LoraAdapter> adapters, LoraTargets targets, Set<LoraNetwork> networks) {
        List<WeightedLayer> out = new ArrayList<>();
        for (LoraAdapter adapter : adapters) {
            LoraFile.Contents contents = LoraFile.read(adapter.file(), targets, adapter.ignoreUnmatchedKeys(),
                    networks);
            contents.warnings().forEach(LOG::warn);
            if (adapter.multiplier() == 0) {
                continue; // checked against the model, but it changes nothing: no copies, no products
            }
            for (LoraLayer layer : contents.layers()) {
                out.add(new WeightedLayer(layer, adapter.multiplier()));
            }
        }
        return out;
    }
}

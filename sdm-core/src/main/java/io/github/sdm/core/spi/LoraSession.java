package io.github.sdm.core.spi;

import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.core.model.LoraAdapter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * LoRA adapters applied to one generation only, without touching the loaded model's weights (the other
 * route, merging into the weights at load, is {@link io.github.sdm.core.model.LoadOptions#withLora}). The
 * backend adds each adapter's {@code multiplier * scale * up(down(x))} to the output of the layers it adapts,
 * in the text encoder ({@link TextEncoderNetwork#encode(long[][], int, List)}) and the UNet.
 *
 * @param adapters the adapters, in the order added, at least one
 */
public record LoraSession(List<LoraAdapter> adapters) implements SessionExtension {

    /**
     * Copies the list.
     *
     * @param adapters at least one adapter
     * @throws InvalidRequestException if the list is null or empty
     */
    public LoraSession {
        if (adapters == null || adapters.isEmpty()) {
            throw new InvalidRequestException("a LoRA session needs at least one adapter");
        }
        adapters = List.copyOf(adapters);
    }

    /**
     * These adapters and one more.
     *
     * @param adapter the adapter to add
     * @return a new session extension
     */
    public LoraSession plus(LoraAdapter adapter) {
        List<LoraAdapter> all = new ArrayList<>(adapters);
        all.add(adapter);
        return new LoraSession(all);
    }

    @Override
    public String describe() {
        return "lora " + adapters.stream().map(LoraAdapter::describe).collect(Collectors.joining(", "));
    }
}

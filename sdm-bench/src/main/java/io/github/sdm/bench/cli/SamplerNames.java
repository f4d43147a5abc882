package io.github.sdm.bench.cli;

import io.github.sdm.samplers.Samplers;
import java.util.Iterator;

/** The registry's sampler names, for {@code --help}: the list cannot drift from what the library accepts. */
final class SamplerNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        return Samplers.names().iterator();
    }
}

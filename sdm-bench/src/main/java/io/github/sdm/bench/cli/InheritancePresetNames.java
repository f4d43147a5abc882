package io.github.sdm.bench.cli;

import io.github.sdm.inheritance.InheritancePreset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** The feature-inheritance preset names, for {@code --cache}'s help and shell completion. */
final class InheritancePresetNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        List<String> names = new ArrayList<>();
        for (InheritancePreset preset : InheritancePreset.values()) {
            names.add(preset.presetName());
        }
        return names.iterator();
    }
}

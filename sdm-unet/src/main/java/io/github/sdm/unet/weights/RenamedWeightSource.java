package io.github.sdm.unet.weights;

import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.safetensors.TensorInfo;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** A view of another source under renamed keys; the bytes are still read from the original. */
final class RenamedWeightSource implements WeightSource {
    private final WeightSource source;
    private final String viewName;
    private final Map<String, String> targetToSource = new LinkedHashMap<>();

    RenamedWeightSource(WeightSource source, String viewName, Function<String, String> rename) {
        this.source = source;
        this.viewName = viewName;
        for (String sourceKey : source.names()) {
            String target = rename.apply(sourceKey);
            if (target == null) {
                continue;
            }
            String previous = targetToSource.putIfAbsent(target, sourceKey);
            if (previous != null) {
                throw new ModelFormatException(source.description() + ": tensors '" + previous + "' and '"
                        + sourceKey + "' both map to '" + target + "' (" + viewName + ")");
            }
        }
    }

    @Override
    public String description() {
        return source.description() + " (" + viewName + ")";
    }

    @Override
    public Set<String> names() {
        return Collections.unmodifiableSet(targetToSource.keySet());
    }

    @Override
    public TensorInfo info(String name) {
        return source.info(sourceKey(name));
    }

    @Override
    public ByteBuffer bytes(String name) {
        return source.bytes(sourceKey(name));
    }

    private String sourceKey(String name) {
        String key = targetToSource.get(name);
        if (key == null) {
            throw new ModelFormatException(description() + ": no tensor named '" + name + "'");
        }
        return key;
    }
}

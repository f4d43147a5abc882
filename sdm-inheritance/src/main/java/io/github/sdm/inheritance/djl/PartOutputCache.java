package io.github.sdm.inheritance.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.HashMap;
import java.util.Map;

/**
 * The last computed outputs of named parts, as copies in a manager of their own. Copies both ways: the
 * part's own outputs flow on through the pass (a caller may attach them to its scope, which would take
 * them out of the cache), and a reused output is handed out as a fresh copy in the caller's scope, freed
 * with it like a computed one.
 */
final class PartOutputCache implements AutoCloseable {
    private final NDManager manager;
    private final Map<String, NDList> outputs = new HashMap<>();

    PartOutputCache(NDManager parentManager) {
        this.manager = parentManager.newSubManager();
    }

    /** Keeps a copy of {@code partOutputs}, replacing (and freeing) what was kept for {@code partName}. */
    void store(String partName, NDList partOutputs) {
        NDList copies = new NDList(partOutputs.size());
        for (NDArray output : partOutputs) {
            NDArray copy = output.duplicate();
            copy.attach(manager);
            copies.add(copy);
        }
        NDList previous = outputs.put(partName, copies);
        if (previous != null) {
            previous.close();
        }
    }

    boolean contains(String partName) {
        return outputs.containsKey(partName);
    }

    /** A copy of the outputs kept for {@code partName}, attached to {@code target}; null if none. */
    NDList lend(String partName, NDManager target) {
        NDList kept = outputs.get(partName);
        if (kept == null) {
            return null;
        }
        NDList copies = new NDList(kept.size());
        for (NDArray array : kept) {
            NDArray copy = array.duplicate();
            copy.attach(target);
            copies.add(copy);
        }
        return copies;
    }

    boolean isEmpty() {
        return outputs.isEmpty();
    }

    /** Frees every kept output. */
    void clear() {
        outputs.values().forEach(NDList::close);
        outputs.clear();
    }

    @Override
    public void close() {
        clear();
        manager.close();
    }
}

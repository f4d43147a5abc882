package io.github.sdm.core;

import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.model.LoraAdapter;
import java.util.List;

/**
 * LoRA adapters merged into a loaded model by {@link StableDiffusion#applyLora}; {@link #unmerge()} (or
 * {@link #close()}) puts the weights back exactly as they were. Merges stack: unmerge the latest first.
 */
public final class AppliedLora implements AutoCloseable {
    private final StableDiffusion model;
    private final List<LoraAdapter> adapters;
    private final Runnable undo;
    private boolean merged = true;

    AppliedLora(StableDiffusion model, List<LoraAdapter> adapters, Runnable undo) {
        this.model = model;
        this.adapters = List.copyOf(adapters);
        this.undo = undo;
    }

    /**
     * The adapters this merge applied.
     *
     * @return the adapters, in order
     */
    public List<LoraAdapter> adapters() {
        return adapters;
    }

    /**
     * Whether the adapters are still merged.
     *
     * @return false after {@link #unmerge()}
     */
    public synchronized boolean isMerged() {
        return merged;
    }

    /**
     * Puts the weights back bit for bit, once no generation runs (new ones wait meanwhile). Does nothing the
     * second time, or once the model is closed.
     *
     * @throws SdmException if adapters applied after these are still merged (unmerge those first)
     */
    public synchronized void unmerge() {
        if (!merged) {
            return;
        }
        if (model.unmerge(this)) {
            merged = false;
        }
    }

    /** Runs the backend's undo; called by the model while it is idle. */
    void undo() {
        undo.run();
    }

    /** Same as {@link #unmerge()}. */
    @Override
    public void close() {
        unmerge();
    }
}

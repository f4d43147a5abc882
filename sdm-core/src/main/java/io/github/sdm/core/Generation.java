package io.github.sdm.core;

import io.github.sdm.core.pipeline.DiffusionPipeline;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One run of a request: cheap to create, run once, cancellable from any thread (the run stops before its next
 * step and throws {@link GenerationCancelledException}).
 */
public final class Generation {
    private final DiffusionPipeline pipeline;
    private final GenerationRequest request;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean cancelled;

    Generation(DiffusionPipeline pipeline, GenerationRequest request) {
        this.pipeline = pipeline;
        this.request = request;
    }

    public GenerationRequest request() {
        return request;
    }

    public GenerationResult run() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("a Generation runs once; build another from the same request");
        }
        return pipeline.run(request, this);
    }

    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }
}

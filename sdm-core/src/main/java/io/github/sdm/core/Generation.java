package io.github.sdm.core;

import io.github.sdm.core.error.GenerationCancelledException;
import io.github.sdm.core.error.ModelClosedException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One run of a request: cheap to create, run once, cancellable from any thread (the run stops before its next
 * step and throws {@link GenerationCancelledException}). Closing the model cancels it the same way, and the
 * run then throws a {@link ModelClosedException}.
 */
public final class Generation implements RunControl {
    private final DiffusionPipeline pipeline;
    private final ModelUsage usage;
    private final GenerationRequest request;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean cancelled;
    private volatile Thread runner;

    Generation(DiffusionPipeline pipeline, ModelUsage usage, GenerationRequest request) {
        this.pipeline = pipeline;
        this.usage = usage;
        this.request = request;
    }

    /**
     * The request this generation runs.
     *
     * @return the validated request
     */
    public GenerationRequest request() {
        return request;
    }

    /**
     * Runs the generation on this thread: encodes the prompt, denoises for the request's steps, decodes. May run
     * concurrently with other generations of the same model.
     *
     * @return the images with the seed used, the timesteps, the final latents and the stage timings
     * @throws IllegalStateException if this generation already ran (build another from the same request)
     * @throws GenerationCancelledException if {@link #cancel()} was called before the last step
     * @throws io.github.sdm.core.error.InvalidRequestException if the request does not fit the model: a size that is
     *     not a multiple of the VAE's downscale factor, an unknown sampler or sampler option, a clip skip beyond the
     *     text encoder's layers, initial latents of the wrong shape
     * @throws io.github.sdm.core.error.SdmException if the latents or the decoded image contain NaN or infinite
     *     values (the message names the step), or the backend fails
     */
    public GenerationResult run() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("a Generation runs once; build another from the same request");
        }
        runner = Thread.currentThread();
        usage.enter(this);
        try {
            StageTimer timer = new StageTimer();
            DiffusionOutput out = pipeline.run(request, this, new Observer(timer));
            return new GenerationResult(out.images(), out.seed(), out.timesteps(), out.finalLatents(),
                    out.decoded(), timer.timings(), request);
        } catch (GenerationCancelledException e) {
            if (usage.isClosed()) {
                throw new ModelClosedException("The model was closed during this generation, which stopped: "
                        + e.getMessage(), e);
            }
            throw e;
        } finally {
            runner = null;
            usage.exit(this);
        }
    }

    /** Whether {@code thread} is running this generation now. */
    boolean isRunOn(Thread thread) {
        return runner == thread;
    }

    /**
     * Asks the run to stop: it checks before every step and throws {@link GenerationCancelledException}. Safe from
     * any thread, before or during the run; a no-op once the run has finished.
     */
    public void cancel() {
        cancelled = true;
    }

    /**
     * Whether {@link #cancel()} was called.
     *
     * @return true once cancelled
     */
    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    /** Stage boundaries go to the timer, finished steps to the request's progress listener. */
    private final class Observer implements StageListener {
        private final StageTimer timer;

        Observer(StageTimer timer) {
            this.timer = timer;
        }

        @Override
        public void stageStarted(Stage stage) {
            timer.stageStarted(stage);
        }

        @Override
        public void stageFinished(Stage stage) {
            timer.stageFinished(stage);
        }

        @Override
        public void stepFinished(int step, int totalSteps, double timestep) {
            request.listener().onStep(new StepProgress(step, totalSteps, timestep, Generation.this));
        }
    }
}

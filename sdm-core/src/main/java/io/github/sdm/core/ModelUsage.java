package io.github.sdm.core;

import io.github.sdm.core.error.ModelClosedException;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Who is using a model's networks, so that closing never frees weights under a running generation (freeing
 * native memory a network call is reading crashes the JVM). Generations {@link #enter} and {@link #exit};
 * {@link #close} marks the model closed, cancels the running generations, waits until they have left, then
 * releases the networks. A generation entering after that is refused with a {@link ModelClosedException}.
 *
 * <p>A close from a thread that is itself running a generation of this model (a progress listener closing the
 * model) cannot wait for that generation: there the release is left to the last generation to exit.
 */
final class ModelUsage {
    private final String modelName;
    private final Runnable release;
    private final Set<Generation> running = new HashSet<>();
    private boolean closed;
    private boolean released;

    /**
     * @param modelName how errors name the model
     * @param release frees the networks; runs once, when the model is closed and no generation uses it
     */
    ModelUsage(String modelName, Runnable release) {
        this.modelName = modelName;
        this.release = release;
    }

    /** Throws the "model was closed" error if it was. */
    synchronized void requireOpen() {
        if (closed) {
            throw new ModelClosedException("The model " + modelName + " was closed; load it again to generate");
        }
    }

    /** Registers a generation as using the networks, or refuses it when the model is closed. */
    synchronized void enter(Generation generation) {
        requireOpen();
        running.add(generation);
    }

    /** The generation no longer uses the networks. */
    synchronized void exit(Generation generation) {
        running.remove(generation);
        if (running.isEmpty()) {
            notifyAll();
            if (closed) {
                releaseOnce();
            }
        }
    }

    /**
     * Runs {@code body} (a change of the shared weights) when no generation uses the networks: waits for the
     * running ones to finish, and new ones wait to enter until it returns.
     *
     * @throws IllegalStateException when called from a generation of this model (it would wait for itself)
     */
    synchronized <T> T whileIdle(Supplier<T> body) {
        requireOpen();
        if (runByThisThread()) {
            throw new IllegalStateException("the weights of " + modelName + " cannot change from inside one of its"
                    + " generations (a progress listener): it would wait for itself");
        }
        boolean interrupted = false;
        while (!running.isEmpty()) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true; // keep waiting: changing weights under a running network call is not an option
            }
        }
        try {
            requireOpen();
            return body.get();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** True once {@link #close} has begun: running generations read it to say why they stopped. */
    synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Closes: cancels the running generations (each stops before its next step), waits for them, releases the
     * networks. A second call does nothing.
     */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        running.forEach(Generation::cancel);
        boolean interrupted = false;
        while (!running.isEmpty() && !runByThisThread()) {
            try {
                wait();
            } catch (InterruptedException e) {
                // the networks must not be freed under a running generation: keep waiting, re-interrupt after
                interrupted = true;
            }
        }
        if (running.isEmpty()) {
            releaseOnce();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean runByThisThread() {
        return running.stream().anyMatch(g -> g.isRunOn(Thread.currentThread()));
    }

    private void releaseOnce() {
        if (!released) {
            released = true;
            release.run();
        }
    }
}

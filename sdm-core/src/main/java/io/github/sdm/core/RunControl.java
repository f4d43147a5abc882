package io.github.sdm.core;

/** What the pipeline asks of the run it serves: whether to stop before the next step. */
interface RunControl {

    /** Never cancelled. */
    RunControl UNCANCELLABLE = () -> false;

    boolean isCancelled();
}

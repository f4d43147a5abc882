package io.github.sdm.cuda;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a GPU test class only where what it needs is there, else skips it before anything loads, printing why;
 * {@code -Dsdm.gpu.required=true} (set by scripts/gpu-check) turns the skip into a failure, so a GPU machine cannot
 * pass the check by skipping. Subclasses say what is missing; each is asked once per JVM.
 */
public abstract class GpuCondition implements ExecutionCondition {
    /** The system property that makes a missing GPU a failure. */
    public static final String REQUIRED = "sdm.gpu.required";
    private static final Map<Class<?>, Optional<String>> ANSWERS = new ConcurrentHashMap<>();

    /**
     * Why the tests cannot run here.
     *
     * @return the reason, or empty when they can
     */
    protected abstract Optional<String> missing();

    /** Empty when {@code nvidia-smi} lists a GPU, else the reason. */
    protected static Optional<String> missingGpu() {
        NvidiaGpus.Listing gpus = NvidiaGpus.list();
        return gpus.any() ? Optional.empty() : Optional.of(gpus.problem());
    }

    @Override
    public final ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<String> missing = ANSWERS.computeIfAbsent(getClass(), c -> missing());
        if (missing.isEmpty()) {
            return ConditionEvaluationResult.enabled("the GPU and its natives are here");
        }
        String message = context.getDisplayName() + " skipped: " + missing.get();
        if (context.getTestMethod().isEmpty()) {
            System.out.println(message);
        }
        if (Boolean.getBoolean(REQUIRED)) {
            throw new IllegalStateException(message + " (-D" + REQUIRED + "=true demands it)");
        }
        return ConditionEvaluationResult.disabled(message);
    }
}

package io.github.sdm.cuda;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a GPU test class only where what it needs is there, else skips it before anything loads, printing why.
 * {@code -Dsdm.gpu.required=onnx,djl} (set by scripts/gpu-check for the engines it found set up; {@code true} means
 * all) turns the skip into a failure for those engines, so a GPU machine cannot pass the check by skipping. Subclasses
 * say what is missing; each is asked once per JVM.
 */
public abstract class GpuCondition implements ExecutionCondition {
    /** The system property naming the engines ({@link #engine()}) whose missing GPU is a failure. */
    public static final String REQUIRED = "sdm.gpu.required";
    private static final Map<Class<?>, Optional<String>> ANSWERS = new ConcurrentHashMap<>();

    /**
     * Why the tests cannot run here.
     *
     * @return the reason, or empty when they can
     */
    protected abstract Optional<String> missing();

    /** The engine the tests run on, as {@link #REQUIRED} names it: {@code onnx} or {@code djl}. */
    protected abstract String engine();

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
        if (required(engine())) {
            throw new IllegalStateException(message + " (-D" + REQUIRED + "=" + System.getProperty(REQUIRED) + " demands it)");
        }
        return ConditionEvaluationResult.disabled(message);
    }

    private static boolean required(String engine) {
        String value = System.getProperty(REQUIRED, "");
        return value.equals("true") || Arrays.asList(value.split(",")).contains(engine);
    }
}

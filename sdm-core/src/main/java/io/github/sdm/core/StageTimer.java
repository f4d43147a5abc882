package io.github.sdm.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Measures the stages of one generation as the pipeline reports them and sums them into {@link StageTimings}. */
final class StageTimer implements StageListener {
    private final long created = System.nanoTime();
    private final Map<Stage, Long> totals = new EnumMap<>(Stage.class);
    private final List<Duration> unetCalls = new ArrayList<>();
    private long stageStart;

    @Override
    public void stageStarted(Stage stage) {
        stageStart = System.nanoTime();
    }

    @Override
    public void stageFinished(Stage stage) {
        long nanos = System.nanoTime() - stageStart;
        totals.merge(stage, nanos, Long::sum);
        if (stage == Stage.UNET_CALL) {
            unetCalls.add(Duration.ofNanos(nanos));
        }
    }

    /** The stages so far; the total runs from this timer's creation to now. */
    StageTimings timings() {
        return new StageTimings(total(Stage.TEXT_ENCODING), total(Stage.IMAGE_ENCODING), List.copyOf(unetCalls),
                total(Stage.SAMPLER), total(Stage.IMAGE_DECODING), total(Stage.NETWORK_RESIDENCY),
                Duration.ofNanos(System.nanoTime() - created));
    }

    private Duration total(Stage stage) {
        return Duration.ofNanos(totals.getOrDefault(stage, 0L));
    }
}

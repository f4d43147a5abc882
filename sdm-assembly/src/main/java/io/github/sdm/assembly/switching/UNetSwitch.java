package io.github.sdm.assembly.switching;

import io.github.sdm.core.spi.SessionExtension;
import java.util.Objects;

/**
 * A generation's multi-UNet switch: the calls {@code schedule} names go to {@code second}, the others to the
 * model's own UNet. Add it with {@code GenerationBuilder.with(...)}. Combines with feature inheritance: each
 * UNet keeps its own caches, as if it ran a generation of just its calls.
 */
public record UNetSwitch(SecondUNet second, SwitchSchedule schedule) implements SessionExtension {

    public UNetSwitch {
        Objects.requireNonNull(second, "second");
        Objects.requireNonNull(schedule, "schedule");
    }

    @Override
    public String describe() {
        return "unet switch to " + second.folder() + " at " + schedule;
    }
}

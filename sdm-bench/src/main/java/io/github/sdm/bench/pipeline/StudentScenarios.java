package io.github.sdm.bench.pipeline;

import io.github.sdm.assembly.switching.SecondUNet;
import io.github.sdm.assembly.switching.SwitchSchedule;
import io.github.sdm.assembly.switching.UNetSwitch;
import java.util.ArrayList;
import java.util.List;

/**
 * The scenarios of a bench run again on a second UNet (an assembled student), so that teacher and student are
 * timed end to end in the same interleaved rounds. Every UNet call of a twin goes to the student: multi-UNet
 * switching over all calls, which draws what the student loaded as the model's UNet draws, bit for bit (the model's
 * text encoder and VAE, which an assembled student shares with its teacher, do the rest).
 */
public final class StudentScenarios {

    /** Every call on the second UNet. */
    private static final SwitchSchedule ALL_CALLS = SwitchSchedule.parse("1");

    private StudentScenarios() {
    }

    /** The scenarios, then each again with every UNet call on {@code student}, labelled {@code "<label>, student"}. */
    public static List<BenchScenario> withStudent(List<BenchScenario> scenarios, SecondUNet student) {
        List<BenchScenario> out = new ArrayList<>(scenarios);
        for (BenchScenario s : scenarios) {
            out.add(new BenchScenario(s.label() + ", student", s.sampler(), s.steps(), s.guidance(),
                    b -> s.requestOptions().apply(b).with(new UNetSwitch(student, ALL_CALLS))));
        }
        return out;
    }
}

package io.github.sdm.bench.cli;

import io.github.sdm.assembly.condconv.CondConvConfig;
import io.github.sdm.assembly.djl.condconv.CondConvStudents;
import io.github.sdm.assembly.students.RemovalSpec;
import io.github.sdm.assembly.students.StudentAssembler;
import io.github.sdm.assembly.students.StudentPlan;
import io.github.sdm.assembly.students.StudentPresets;
import io.github.sdm.bench.model.UNetParameters;
import io.github.sdm.unet.config.UNetConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sdm assemble}: a lighter student model folder from a teacher, BK-SDM style. */
@Command(name = "assemble", mixinStandardHelpOptions = true,
        description = "Write a student model folder: the teacher with layers removed from its UNet (the kept "
                + "layers keep the teacher's weights; the other components are copied).")
final class AssembleCommand implements Callable<Integer> {

    @Option(names = "--from", required = true, description = "The teacher's diffusers model folder.")
    Path from;

    @Option(names = "--out", required = true, description = "The student folder to create (must not exist).")
    Path out;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Removal removal;

    static final class Removal {
        @Option(names = "--preset", description = "bk-base, bk-small or bk-tiny (BK-SDM's students).")
        String preset;

        @Option(names = "--remove", description = "What to remove, comma-separated: down_blocks.I.layers.J, "
                + "up_blocks.I.layers.J, mid, innermost (teacher indices), e.g. down_blocks.1.layers.1,mid.")
        String spec;
    }

    @Option(names = "--condconv", paramLabel = "EXPERTS", description = "Make the --condconv-resnets resnets' conv1 "
            + "and conv2 ME-CondConv convolutions of EXPERTS kernels (at least 2), cross-layer initialised: the extra "
            + "experts are the same convolutions of the removed resnets next to each kept one (the kept one again where "
            + "there are fewer), so the student starts computing what the plain student computes. The UNet is then "
            + "written in float32 and loads in sdm only (docs/model-assembly.md).")
    Integer condConvExperts;

    @Option(names = "--condconv-resnets", split = ",", paramLabel = "PREFIX",
            description = "With --condconv: the student's resnets or blocks (its own indices), comma-separated, e.g. "
                    + "down_blocks.2.resnets.0,up_blocks.0.resnets.0.")
    List<String> condConvResnets;

    @Spec
    CommandSpec commandSpec;

    @Override
    public Integer call() {
        UNetConfig teacher = UNetConfig.read(from.resolve("unet").resolve("config.json"));
        CondConvConfig condConv = condConv();
        StudentPlan plan;
        try {
            RemovalSpec spec = removal.preset != null ? StudentPresets.spec(removal.preset, teacher)
                    : RemovalSpec.parse(removal.spec);
            plan = StudentAssembler.assemble(from, spec, out);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(commandSpec.commandLine(),
                    (removal.preset != null ? "--preset " + removal.preset : "--remove") + ": " + e.getMessage());
        }
        PrintWriter stdout = commandSpec.commandLine().getOut();
        stdout.printf("%s: layers_per_block %s, %s mid block, %,d -> %,d UNet parameters%n", out,
                plan.layersPerBlock(), plan.midBlock() ? "with" : "no", UNetParameters.count(from), UNetParameters.count(out));
        if (condConv != null) {
            CondConvStudents.Made made;
            try {
                made = CondConvStudents.convert(from, plan, out, condConv);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(commandSpec.commandLine(), "--condconv-resnets: " + e.getMessage());
            }
            made.convolutions().forEach((conv, neighbours) -> stdout.printf("%s: ME-CondConv, %d experts: the kept "
                    + "convolution%s%s%n", conv, condConv.experts(), neighbours.isEmpty() ? "" : ", " + String.join(", ",
                    neighbours), neighbours.size() < condConv.experts() - 1 ? " (the kept one again for the rest)" : ""));
            stdout.printf("%s: %,d UNet parameters with ME-CondConv (float32)%n", out, UNetParameters.count(out));
        }
        stdout.flush();
        return 0;
    }

    /** The --condconv request, checked before anything is written; null without it. */
    private CondConvConfig condConv() {
        if ((condConvExperts == null) != (condConvResnets == null)) {
            throw new ParameterException(commandSpec.commandLine(), condConvExperts == null
                    ? "--condconv-resnets needs --condconv EXPERTS" : "--condconv needs --condconv-resnets PREFIX,...");
        }
        if (condConvExperts == null) {
            return null;
        }
        if (condConvExperts < 2) {
            throw new ParameterException(commandSpec.commandLine(), "--condconv " + condConvExperts
                    + ": an ME-CondConv convolution needs at least 2 experts");
        }
        return new CondConvConfig(condConvExperts, condConvResnets);
    }
}

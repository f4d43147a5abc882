package io.github.sdm.bench.cli;

import io.github.sdm.assembly.students.RemovalSpec;
import io.github.sdm.assembly.students.StudentAssembler;
import io.github.sdm.assembly.students.StudentPlan;
import io.github.sdm.assembly.students.StudentPresets;
import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.unet.config.UNetConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
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

    @Spec
    CommandSpec commandSpec;

    @Override
    public Integer call() {
        UNetConfig teacher = UNetConfig.read(from.resolve("unet").resolve("config.json"));
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
                plan.layersPerBlock(), plan.midBlock() ? "with" : "no", parameters(from), parameters(out));
        stdout.flush();
        return 0;
    }

    private static long parameters(Path model) {
        try (SafetensorsFile file = SafetensorsFile.open(model.resolve("unet/diffusion_pytorch_model.safetensors"))) {
            return file.tensors().values().stream().mapToLong(info -> info.elementCount()).sum();
        }
    }
}

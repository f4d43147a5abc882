package io.github.sdm.assembly.students;

import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.safetensors.ComponentWeightFiles;
import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.core.safetensors.TensorInfo;
import io.github.sdm.core.safetensors.TensorSpec;
import io.github.sdm.core.safetensors.SafetensorsWriter;
import io.github.sdm.unet.config.UNetConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a student model folder: the teacher's folder with {@code unet/} replaced by the student's config and
 * the kept teacher weights, byte for byte, under the student's names. The other components are copied, so
 * {@code StableDiffusion.load(student)} works on the folder alone.
 */
public final class StudentAssembler {
    private static final String UNET = ModelFolders.UNET;
    private static final String UNET_WEIGHTS = "diffusion_pytorch_model.safetensors";

    private StudentAssembler() {
    }

    /** Assembles the student of {@code spec} from model folder {@code teacher} into the new folder {@code out}. */
    public static StudentPlan assemble(Path teacher, RemovalSpec spec, Path out) {
        Path unet = teacher.resolve(UNET);
        String configText = read(unet.resolve("config.json"));
        StudentPlan plan = StudentPlan.of(UNetConfig.parse(configText, unet.resolve("config.json").toString()), spec);
        Path weights = ComponentWeightFiles.locate(unet, null);
        if (!weights.getFileName().toString().endsWith(".safetensors")) {
            throw new ModelFormatException(weights + ": a sharded UNet is not supported here; merge it into one"
                    + " safetensors file first");
        }
        if (Files.exists(out)) {
            throw new SdmException("--out " + out + " exists; the student is written to a new folder");
        }
        try (SafetensorsFile file = SafetensorsFile.open(weights)) {
            checkChannels(plan, file, weights);
            ModelFolders.copyWithoutUnet(teacher, out);
            Path studentUnet = Files.createDirectories(out.resolve(UNET));
            Files.writeString(studentUnet.resolve("config.json"), plan.studentConfigJson(configText));
            writeWeights(plan, file, studentUnet.resolve(UNET_WEIGHTS));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the student " + out + ": " + e.getMessage(), e);
        }
        return plan;
    }

    /** Refuses a plan whose kept resnets would meet inputs of other widths than they were trained on. */
    private static void checkChannels(StudentPlan plan, SafetensorsFile file, Path weights) {
        for (StudentPlan.ResnetInput input : plan.resnetInputs()) {
            String key = input.teacherPart() + ".conv1.weight";
            if (!file.contains(key)) {
                throw new ModelFormatException(weights + ": no tensor '" + key + "'");
            }
            long channels = file.info(key).shape()[1];
            if (channels != input.channels()) {
                throw new IllegalArgumentException("removal spec: " + input.studentPart() + " would take "
                        + input.channels() + " input channels, but the teacher's " + input.teacherPart()
                        + " it inherits from takes " + channels + "; remove another layer of that block");
            }
        }
    }

    private static void writeWeights(StudentPlan plan, SafetensorsFile file, Path target) {
        Map<String, String> teacherNames = new LinkedHashMap<>();
        List<TensorSpec> specs = new ArrayList<>();
        List<String> inFileOrder = file.names().stream()
                .sorted(java.util.Comparator.comparingLong(name -> file.info(name).begin())).toList();
        for (String name : inFileOrder) {
            plan.studentKey(name).ifPresent(student -> {
                TensorInfo info = file.info(name);
                teacherNames.put(student, name);
                specs.add(new TensorSpec(student, info.dtype(), info.shape()));
            });
        }
        try (SafetensorsWriter writer = SafetensorsWriter.create(target, file.metadata(), specs)) {
            teacherNames.forEach((student, teacher) -> writer.writeBytes(student, file.bytes(teacher)));
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ModelFormatException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}

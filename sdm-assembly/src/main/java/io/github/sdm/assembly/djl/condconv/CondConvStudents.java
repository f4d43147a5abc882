package io.github.sdm.assembly.djl.condconv;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.sdm.assembly.condconv.CondConvConfig;
import io.github.sdm.assembly.djl.train.ComponentFolders;
import io.github.sdm.assembly.students.RemovedNeighbours;
import io.github.sdm.assembly.students.StudentPlan;
import io.github.sdm.core.safetensors.DType;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes an assembled student's resnets ME-CondConv ones, with cross-layer initialisation from its teacher: each
 * conditional {@code conv1}/{@code conv2} gets as extra experts the same convolution of the removed resnets next to
 * its kept one ({@link RemovedNeighbours}, those of the kept one's shape, nearest first), so the student starts
 * computing what the plain student computed ({@link CrossLayerInit}).
 */
public final class CondConvStudents {
    private static final List<String> CONVS = List.of("conv1", "conv2");

    private CondConvStudents() {
    }

    /**
     * What became conditional.
     *
     * @param convolutions per conditional student convolution, the teacher convolutions of its extra experts
     *     (shorter than {@code experts - 1} where the kept convolution fills the rest)
     */
    public record Made(Map<String, List<String>> convolutions) {
    }

    /**
     * Rewrites {@code student}'s {@code unet/} (written by {@code StudentAssembler} from {@code teacher} with
     * {@code plan}) in float32 with {@code condConv}'s resnets conditional and {@code sdm_condconv} in its config.
     *
     * @throws IllegalArgumentException if {@code condConv} names no resnet of the student
     */
    public static Made convert(Path teacher, StudentPlan plan, Path student, CondConvConfig condConv) {
        Path studentUnet = student.resolve("unet");
        try (NDManager manager = NDManager.newBaseManager();
                UNet2DConditionModel teacherUnet = UNet2DConditionModel.load(teacher.resolve("unet"), manager);
                UNet2DConditionModel studentNet = UNet2DConditionModel.load(studentUnet, manager)) {
            Map<String, NDArray> teacherWeights = ComponentFolders.weightsOf(teacherUnet);
            Map<String, NDArray> weights = new LinkedHashMap<>(ComponentFolders.weightsOf(studentNet));
            Map<String, List<String>> made = new LinkedHashMap<>();
            for (StudentPlan.ResnetInput resnet : plan.resnetInputs()) {
                if (!condConv.isConditional(resnet.studentPart() + ".conv1")) {
                    continue;
                }
                List<String> neighbours = RemovedNeighbours.of(plan, teacherWeights.keySet(), resnet.teacherPart());
                for (String conv : CONVS) {
                    String kept = resnet.teacherPart() + "." + conv;
                    String studentConv = resnet.studentPart() + "." + conv;
                    List<String> experts = new ArrayList<>();
                    for (String neighbour : neighbours) {
                        String candidate = neighbour + "." + conv;
                        if (experts.size() < condConv.experts() - 1 && teacherWeights.get(candidate + ".weight")
                                .getShape().equals(teacherWeights.get(kept + ".weight").getShape())) {
                            experts.add(candidate);
                        }
                    }
                    weights.putAll(CrossLayerInit.weights(teacherWeights, kept, experts, studentConv,
                            condConv.experts(), manager));
                    made.put(studentConv, List.copyOf(experts));
                }
            }
            if (made.isEmpty()) {
                throw new IllegalArgumentException("sdm_condconv resnets " + condConv.resnets()
                        + " name no resnet of the student (its resnets: "
                        + plan.resnetInputs().stream().map(StudentPlan.ResnetInput::studentPart).toList() + ")");
            }
            JsonObject config = JsonParser.parseString(read(studentUnet.resolve("config.json"))).getAsJsonObject();
            config.add(CondConvConfig.KEY, condConv.toJson());
            String json = new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(config) + "\n";
            ComponentFolders.write(studentUnet, ComponentFolders.UNET, json, weights, DType.F32);
            return new Made(made);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}

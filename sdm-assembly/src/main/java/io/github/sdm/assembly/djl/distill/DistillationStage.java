package io.github.sdm.assembly.djl.distill;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.github.sdm.assembly.distill.DistillationWeights;
import io.github.sdm.assembly.distill.FeaturePairs;
import io.github.sdm.assembly.distill.LossTerms;
import io.github.sdm.assembly.djl.train.ComponentFolders;
import io.github.sdm.assembly.djl.train.DiffusionBatches;
import io.github.sdm.assembly.djl.train.TrainedNetworks;
import io.github.sdm.assembly.djl.train.TrainingStage;
import io.github.sdm.unet.djl.clip.CLIPTextModel;
import io.github.sdm.unet.djl.nn.EngineScalars;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.GradMode;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;
import io.github.sdm.unet.djl.unet.UNetActivations;
import java.util.List;
import java.util.Map;

/**
 * Distillation of a student UNet from its teacher (BK-SDM): each step draws the same inputs as the UNet training
 * stage ({@link DiffusionBatches}), the frozen teacher text encoder encodes the captions, the frozen teacher UNet
 * and the trained student UNet both predict the noise, and the loss is
 * {@code task * mse(student, eps) + output * mse(student, teacher) + feature * sum mse(student part, teacher part)}
 * over the {@link FeaturePairs} ({@link DistillationWeights}). The teacher runs as an inference pass without
 * gradient recording; its part outputs and the student's are taken with
 * {@link UNet2DConditionModel#forwardWithActivations(NDArray, NDArray, NDArray, ForwardContext, java.util.Collection)}.
 * Only the student is trained (its checkpoint component is {@code unet}).
 */
public final class DistillationStage implements TrainingStage {
    /** The stage's name, also its checkpoint's. */
    public static final String NAME = "distill";
    private static final ForwardContext TRAINING = ForwardContext.DEFAULT.withTraining(true);

    private final UNet2DConditionModel teacher;
    private final CLIPTextModel textEncoder;
    private final UNet2DConditionModel student;
    private final TrainedNetworks networks;
    private final DiffusionBatches batches;
    private final DistillationWeights weights;
    private final List<FeaturePairs.Pair> pairs;
    private LossTerms lastTerms;

    /**
     * @param teacher the teacher UNet (not trained)
     * @param textEncoder the teacher's text encoder (not trained)
     * @param student the student UNet, trained
     * @param pairs the parts the feature loss compares (unused when its weight is 0)
     */
    public DistillationStage(UNet2DConditionModel teacher, CLIPTextModel textEncoder, UNet2DConditionModel student,
            DiffusionBatches batches, DistillationWeights weights, FeaturePairs pairs) {
        this.teacher = teacher;
        this.textEncoder = textEncoder;
        this.student = student;
        this.networks = new TrainedNetworks(Map.of(ComponentFolders.UNET, student));
        this.batches = batches;
        this.weights = weights;
        this.pairs = weights.feature() > 0 ? pairs.pairs() : List.of();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public TrainedNetworks networks() {
        return networks;
    }

    /** The unweighted terms of the last step run (null before the first). */
    public LossTerms lastTerms() {
        return lastTerms;
    }

    @Override
    public float forwardBackward(long step, int batchSize, NDManager scratch) {
        DiffusionBatches.Batch batch = batches.draw(step, batchSize, scratch);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            TeacherPass teacherPass = teacherPass(batch);
            UNetActivations predicted = student.forwardWithActivations(batch.noisyLatents(), batch.timesteps(),
                    teacherPass.text(), TRAINING, pairs.stream().map(FeaturePairs.Pair::studentPart).toList());
            UNetActivations target = teacherPass.activations();
            NDArray task = meanSquaredError(predicted.output(), batch.noise());
            NDArray output = meanSquaredError(predicted.output(), target.output());
            NDArray feature = null;
            for (FeaturePairs.Pair pair : pairs) {
                NDArray term = meanSquaredError(predicted.blockOutputs().get(pair.studentPart()),
                        target.blockOutputs().get(pair.teacherPart()));
                feature = feature == null ? term : feature.add(term);
            }
            NDArray loss = weighted(null, task, weights.task());
            loss = weighted(loss, output, weights.output());
            loss = weighted(loss, feature, weights.feature());
            collector.backward(loss);
            lastTerms = new LossTerms(task.getFloat(), output.getFloat(),
                    feature == null ? Double.NaN : feature.getFloat());
            return loss.getFloat();
        }
    }

    /** The teacher's text embedding and UNet pass (prediction and paired part outputs): constants to the student. */
    private record TeacherPass(NDArray text, UNetActivations activations) {
    }

    private TeacherPass teacherPass(DiffusionBatches.Batch batch) {
        TeacherPass[] pass = new TeacherPass[1];
        GradMode.withoutRecording(() -> {
            NDArray text = textEncoder.encode(batch.inputIds(), ForwardContext.DEFAULT);
            pass[0] = new TeacherPass(text, teacher.forwardWithActivations(batch.noisyLatents(), batch.timesteps(),
                    text, ForwardContext.DEFAULT, pairs.stream().map(FeaturePairs.Pair::teacherPart).toList()));
        });
        return pass[0];
    }

    private static NDArray meanSquaredError(NDArray a, NDArray b) {
        return a.sub(b).square().mean();
    }

    /** {@code sum + weight * term}; a term of weight 0 is left out of the graph. */
    private static NDArray weighted(NDArray sum, NDArray term, double weight) {
        if (weight == 0 || term == null) {
            return sum;
        }
        NDArray scaled = weight == 1 ? term : EngineScalars.times(term, (float) weight);
        return sum == null ? scaled : sum.add(scaled);
    }
}

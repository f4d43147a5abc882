package io.github.sdm.unet.djl.unet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.unet.Fixtures;
import io.github.sdm.unet.config.UNetConfig;
import io.github.sdm.unet.djl.clip.CLIPTextModel;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.Intermediates;
import io.github.sdm.unet.djl.nn.Network;
import io.github.sdm.unet.djl.nn.Parameter;
import io.github.sdm.unet.djl.vae.AutoencoderKL;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The nn framework's training mode on DJL's autograd (PyTorch engine): gradients of a training pass
 * against finite differences, one SGD step, inference after training, and the VAE and text encoder.
 *
 * <p>Any in-place write into an array the backward pass needs would make PyTorch's backward throw
 * ("modified by an inplace operation"), so every backward here also checks that training passes write
 * nothing in place.
 */
class TrainingModeTest {
    private static final ForwardContext TRAINING = ForwardContext.DEFAULT.withTraining(true);
    /** Two levels, cross-attention in the first: every part kind of the SD UNet, about 51k parameters. */
    private static final String TINY = """
            {"block_out_channels": [8, 16], "layers_per_block": 1,
             "down_block_types": ["CrossAttnDownBlock2D", "DownBlock2D"],
             "up_block_types": ["UpBlock2D", "CrossAttnUpBlock2D"],
             "attention_head_dim": 2, "cross_attention_dim": 8, "norm_num_groups": 4}""";
    /** float32's unit roundoff, 2^-24. */
    private static final double EPSILON = 0x1p-24;

    private NDManager manager;
    private UNet2DConditionModel unet;
    private NDArray sample;
    private NDArray timestep;
    private NDArray context;

    @BeforeEach
    void build() {
        manager = NDManager.newBaseManager();
        unet = UNet2DConditionModel.random(UNetConfig.parse(TINY, "tiny"), 7, manager);
        SplittableRandom random = new SplittableRandom(11);
        sample = normal(random, new Shape(2, 4, 8, 8), 1);
        timestep = manager.create(new float[] {10, 500});
        context = normal(random, new Shape(2, 3, 8), 1);
    }

    @AfterEach
    void close() {
        unet.close();
        manager.close();
    }

    /**
     * For one parameter of each part kind, the autograd gradient's derivative along a random direction
     * {@code v} must equal the central difference {@code (L(w + h v) - L(w - h v)) / 2h} of the loss
     * {@code L = mean(out^2)}.
     *
     * <p>Tolerance: {@code v} has the parameter's own scale (its RMS, at least 0.1) and {@code h = 0.02},
     * so the difference quotient's truncation error, {@code O(h^2)}, stays below 1e-3 of the derivative
     * (measured: at most 9e-4). The network computes in float32, so each loss is reproducible only to a
     * few roundings relative to itself: allowing 4 units of {@code EPSILON * L} per loss, the quotient is
     * uncertain by {@code 8 EPSILON L / 2h}. The check allows 1e-2 of the derivative plus that, and
     * requires each derivative to be well above that floor, so a missing, doubled or misrouted gradient
     * fails.
     */
    @Test
    void gradientsOfATrainingPassMatchFiniteDifferencesForEveryPartKind() {
        unet.makeTrainable();
        double loss;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray lossArray = unet.forward(sample, timestep, context, TRAINING).square().mean();
            collector.backward(lossArray);
            loss = lossArray.getFloat();
        }
        assertEveryParameterHasAGradient(unet);
        Map<String, float[]> gradients = new LinkedHashMap<>();
        for (Parameter p : unet.allParameters().values()) {
            try (NDArray gradient = p.value().getGradient()) {
                gradients.put(p.key(), gradient.toFloatArray());
            }
        }
        assertEquals(loss, lossOf(unet.forward(sample, timestep, context, TRAINING)), 1e-6 * loss);

        double h = 0.02;
        double noise = 8 * EPSILON * loss / (2 * h);
        for (String key : List.of(
                "conv_in.weight", // convolutions
                "down_blocks.0.resnets.0.conv1.weight",
                "down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q.weight", // attention linears
                "down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k.weight",
                "down_blocks.0.attentions.0.transformer_blocks.0.ff.net.0.proj.weight", // GEGLU
                "down_blocks.0.attentions.0.transformer_blocks.0.norm1.weight", // layer norm
                "down_blocks.0.resnets.0.norm1.weight", // group norms
                "up_blocks.1.resnets.1.norm2.bias",
                "conv_norm_out.weight",
                "time_embedding.linear_1.weight", // time embedding
                "down_blocks.0.resnets.0.time_emb_proj.weight")) {
            Parameter p = unet.allParameters().get(key);
            float[] weight = p.value().toFloatArray();
            float[] direction = direction(key, weight);
            double autograd = 0;
            float[] gradient = gradients.get(key);
            for (int i = 0; i < gradient.length; i++) {
                autograd += gradient[i] * (double) direction[i];
            }
            double quotient = (lossAlong(p, weight, direction, h) - lossAlong(p, weight, direction, -h)) / (2 * h);
            double error = Math.abs(quotient - autograd);
            assertTrue(Math.abs(autograd) > 4 * noise, key + ": derivative " + autograd + " too close to noise " + noise);
            assertTrue(error <= 1e-2 * Math.abs(autograd) + noise, key + ": autograd " + autograd
                    + ", finite difference " + quotient + " (relative error " + error / Math.abs(autograd) + ")");
        }
    }

    @Test
    void oneSgdStepLowersTheLossAsTheGradientPredicts() {
        unet.makeTrainable();
        NDArray target = normal(new SplittableRandom(5), new Shape(2, 4, 8, 8), 1);
        float learningRate = 0.02f;
        double before;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray loss = unet.forward(sample, timestep, context, TRAINING).sub(target).square().mean();
            collector.backward(loss);
            before = loss.getFloat();
        }
        double squaredNorm = 0;
        for (Parameter p : unet.allParameters().values()) {
            try (NDArray gradient = p.value().getGradient()) {
                squaredNorm += gradient.square().sum().getFloat();
            }
        }
        Optimizer sgd = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(learningRate)).build();
        unet.applyGradients(sgd::update);

        NDArray inference = unet.forward(sample, timestep, context, ForwardContext.DEFAULT);
        double after = inference.sub(target).square().mean().getFloat();
        // to first order a step of -lr * g lowers the loss by lr * |g|^2
        double predicted = learningRate * squaredNorm;
        assertTrue(after < before, "loss " + before + " -> " + after);
        assertEquals(predicted, before - after, 0.2 * predicted, "loss " + before + " -> " + after);
        // the inference pass used the updated weights (its weight views were derived anew)
        assertArrayEquals(unet.forward(sample, timestep, context, TRAINING).toFloatArray(), inference.toFloatArray(),
                1e-5f);
        // the step consumed the gradients
        try (NDArray gradient = unet.allParameters().get("conv_in.weight").value().getGradient()) {
            assertEquals(0f, gradient.abs().max().getFloat());
        }
    }

    @Test
    void afterTrainingInferenceStillMatchesTheFixtureBitForBit() {
        java.nio.file.Path folder = UNetFixtures.folder("unet-small");
        try (UNet2DConditionModel small = UNet2DConditionModel.load(folder, manager);
                SafetensorsFile ref = SafetensorsFile.open(folder.resolve("reference.safetensors"))) {
            NDArray x = UNetFixtures.tensor(ref, "sample", manager);
            NDArray t = UNetFixtures.tensor(ref, "timestep", manager);
            NDArray c = UNetFixtures.tensor(ref, "encoder_hidden_states", manager);
            float[] frozen = small.forward(x, t, c, ForwardContext.DEFAULT).toFloatArray();
            assertFalse(small.isTrainable());

            small.makeTrainable();
            assertTrue(small.isTrainable());
            NDArray trained;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                trained = small.forward(x, t, c, TRAINING);
                collector.backward(trained.square().mean());
            }
            small.zeroGradients();
            // a training pass computes the same function (other kernels: equal up to float rounding)
            assertArrayEquals(frozen, trained.toFloatArray(), 1e-5f);

            NDArray inference = small.forward(x, t, c, ForwardContext.DEFAULT);
            assertArrayEquals(frozen, inference.toFloatArray(), 0f, "inference on the trainable copies");
            UNetParityTest.assertClose(ref, "out_sample", inference);
        }
    }

    @Test
    void vaeAndTextEncoderTrainToo() {
        try (AutoencoderKL vae = AutoencoderKL.load(TestData.fixture("vae"), manager);
                CLIPTextModel textEncoder = CLIPTextModel.load(TestData.fixture("text_encoder"), manager)) {
            NDArray image = normal(new SplittableRandom(3), new Shape(1, 3, 16, 16), 0.5);
            NDArray ids = manager.create(new long[] {49406, 320, 1929, 539, 320, 2368, 49407}, new Shape(1, 7));
            float[] decoded = vae.forward(ForwardContext.DEFAULT, image).toFloatArray();
            float[] encoded = textEncoder.encode(ids, ForwardContext.DEFAULT).toFloatArray();
            vae.makeTrainable();
            textEncoder.makeTrainable();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray trainedDecoded = vae.forward(TRAINING, image);
                NDArray trainedEncoded = textEncoder.encode(ids, TRAINING);
                collector.backward(trainedDecoded.square().mean().add(trainedEncoded.square().mean()));
                assertArrayEquals(decoded, trainedDecoded.toFloatArray(), 1e-5f);
                assertArrayEquals(encoded, trainedEncoded.toFloatArray(), 1e-5f);
            }
            assertEveryParameterHasAGradient(vae);
            assertEveryParameterHasAGradient(textEncoder);
        }
    }

    @Test
    void onlyTrainableNetworksTakeOptimizerSteps() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> unet.applyGradients((key, weight, gradient) -> { }));
        assertTrue(e.getMessage().contains("makeTrainable"), e.getMessage());
    }

    @Test
    void aTrainingPassFreesNoIntermediates() {
        try (NDManager scope = manager.newSubManager()) {
            NDArray used = scope.ones(new Shape(2));
            Intermediates.release(TRAINING.withManager(scope), used, null);
            assertFalse(used.isReleased());
            Intermediates.release(ForwardContext.DEFAULT.withManager(scope), used, null);
            assertTrue(used.isReleased());
        }
    }

    /** Every weight tensor reached by the backward pass: none was read through a detached view. */
    private static void assertEveryParameterHasAGradient(Network network) {
        for (Parameter p : network.allParameters().values()) {
            try (NDArray gradient = p.value().getGradient()) {
                assertTrue(gradient.abs().max().getFloat() > 0, p.key() + " has no gradient");
            }
        }
    }

    /** A Gaussian direction with the parameter's own scale: its RMS, at least 0.1 (norms start at 1, 0). */
    private static float[] direction(String key, float[] weight) {
        double squares = 0;
        for (float w : weight) {
            squares += w * (double) w;
        }
        double scale = Math.max(0.1, Math.sqrt(squares / weight.length));
        SplittableRandom random = new SplittableRandom(key.hashCode());
        float[] v = new float[weight.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (random.nextGaussian() * scale);
        }
        return v;
    }

    /** The loss with {@code p} set to {@code weight + h v}; {@code p} is then set back to {@code weight}. */
    private double lossAlong(Parameter p, float[] weight, float[] v, double h) {
        float[] moved = new float[weight.length];
        for (int i = 0; i < moved.length; i++) {
            moved[i] = (float) (weight[i] + h * v[i]);
        }
        overwrite(p, moved);
        double loss = lossOf(unet.forward(sample, timestep, context, TRAINING));
        overwrite(p, weight);
        return loss;
    }

    /** {@code mean(out^2)}, summed in double so that only the network's own rounding remains. */
    private static double lossOf(NDArray out) {
        float[] values = out.toFloatArray();
        out.close();
        double sum = 0;
        for (float o : values) {
            sum += (double) o * o;
        }
        return sum / values.length;
    }

    /** Sets a weight's values in place, as an optimizer step does. */
    private void overwrite(Parameter target, float[] values) {
        unet.applyGradients((key, weight, gradient) -> {
            if (key.equals(target.key())) {
                try (NDArray given = weight.getManager().create(values, weight.getShape())) {
                    weight.muli(0).addi(given);
                }
            }
        });
    }

    private NDArray normal(SplittableRandom random, Shape shape, double scale) {
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * scale);
        }
        return manager.create(values, shape);
    }
}

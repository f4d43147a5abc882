package io.github.sdm.assembly.djl.condconv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.Network;
import io.github.sdm.unet.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CondConv2dTest {
    private static final int IN = 6;
    private static final int OUT = 5;
    private static final int EXPERTS = 3;
    private static final ForwardContext TRAINING = ForwardContext.DEFAULT.withTraining(true);

    private NDManager manager;
    private OneConv net;
    private NDArray x;

    /** A network of one conditional convolution named {@code c}, with seeded random weights. */
    static final class OneConv extends Network {
        final CondConv2d conv;

        OneConv(int kernel, int padding) {
            conv = child(new CondConv2d("c", IN, OUT, kernel, padding, EXPERTS));
        }

        static OneConv random(int kernel, int padding, long seed, NDManager manager) {
            return withRandomWeights(new OneConv(kernel, padding), seed, manager);
        }

        @Override
        protected NDList compute(ForwardContext ctx, NDList inputs) {
            return conv.forward(ctx, inputs);
        }
    }

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager("PyTorch");
        net = OneConv.random(3, 1, 11, manager);
        manager.getEngine().setRandomSeed(4);
        x = manager.randomNormal(new Shape(3, IN, 7, 6));
    }

    @AfterEach
    void tearDown() {
        net.close();
        manager.close();
    }

    private NDArray param(String key) {
        return net.allParameters().get(key).value();
    }

    private NDArray plainConv(NDArray input, NDArray weight, NDArray bias) {
        return input.getNDArrayInternal().convolution(input, weight, bias, new Shape(1, 1), new Shape(1, 1),
                new Shape(1, 1), 1).singletonOrThrow();
    }

    /** Every expert set to {@code w, b}; the router keeps its random weights. */
    private void equalExperts(NDArray w, NDArray b) {
        Map<String, NDArray> values = new LinkedHashMap<>();
        values.put("c.weight", w);
        values.put("c.bias", b);
        values.put("c.experts.weight", NDArrays.stack(new NDList(w, w), 0));
        values.put("c.experts.bias", NDArrays.stack(new NDList(b, b), 0));
        net.replaceWeights(values);
    }

    @Test
    void withEqualExpertsItIsThePlainConvolutionScaledByTheRoutingSum() {
        NDArray w = param("c.weight").duplicate();
        NDArray b = param("c.bias").duplicate();
        equalExperts(w, b);
        NDArray y = net.forward(ForwardContext.DEFAULT, new NDList(x)).head();
        // sum_i r_i W = (sum_i r_i) W: per sample, the plain convolution times the routing weights' sum
        NDArray r = x.reshape(3, IN, 42).mean(new int[] {2}).matMul(param("c.router.weight").transpose())
                .add(param("c.router.bias")).getNDArrayInternal().sigmoid();
        NDArray scale = r.sum(new int[] {1}).reshape(3, 1, 1, 1);
        assertArrayEquals(plainConv(x, w, b).mul(scale).toFloatArray(), y.toFloatArray(), 1e-5f);
    }

    @Test
    void withEqualExpertsAndRoutingThatSumsToOneItIsThePlainConvolution() {
        NDArray w = param("c.weight").duplicate();
        NDArray b = param("c.bias").duplicate();
        equalExperts(w, b);
        // router weight 0, bias logit(1/N): every r_i = 1/N, their sum 1
        float logit = (float) Math.log((1.0 / EXPERTS) / (1 - 1.0 / EXPERTS));
        net.replaceWeights(Map.of("c.router.weight", manager.zeros(new Shape(EXPERTS, IN)),
                "c.router.bias", manager.full(new Shape(EXPERTS), logit, DataType.FLOAT32)));
        NDArray y = net.forward(ForwardContext.DEFAULT, new NDList(x)).head();
        assertArrayEquals(plainConv(x, w, b).toFloatArray(), y.toFloatArray(), 1e-5f);
    }

    @Test
    void aBatchEqualsItsSamplesComputedAlone() {
        NDArray batch = net.forward(ForwardContext.DEFAULT, new NDList(x)).head();
        assertEquals(new Shape(3, OUT, 7, 6), batch.getShape());
        for (int i = 0; i < 3; i++) {
            NDArray alone = net.forward(ForwardContext.DEFAULT, new NDList(x.get(i + ":" + (i + 1)))).head();
            assertArrayEquals(alone.toFloatArray(), batch.get(i + ":" + (i + 1)).toFloatArray(), 1e-5f);
        }
        // and the samples really get different kernels: mixing with sample 0's routing changes sample 1
        NDArray r = net.conv.routing(x, false);
        assertTrue(r.get(0).sub(r.get(1)).abs().max().getFloat() > 1e-4f);
    }

    @Test
    void aOneByOneKernelWorksAsWell() {
        try (OneConv pointwise = OneConv.random(1, 0, 2, manager)) {
            NDArray y = pointwise.forward(ForwardContext.DEFAULT, new NDList(x)).head();
            assertEquals(new Shape(3, OUT, 7, 6), y.getShape());
            NDArray alone = pointwise.forward(ForwardContext.DEFAULT, new NDList(x.get("1:2"))).head();
            assertArrayEquals(alone.toFloatArray(), y.get("1:2").toFloatArray(), 1e-5f);
        }
    }

    @Test
    void trainingPassesGradientsToExpertsAndRouterAndOneSgdStepLowersTheLoss() {
        net.makeTrainable();
        NDArray target = manager.randomNormal(new Shape(3, OUT, 7, 6));
        float learningRate = 0.05f;
        double before;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray loss = net.forward(TRAINING, new NDList(x)).head().sub(target).square().mean();
            collector.backward(loss);
            before = loss.getFloat();
        }
        for (String key : List.of("c.weight", "c.bias", "c.experts.weight", "c.experts.bias", "c.router.weight",
                "c.router.bias")) {
            Parameter p = net.allParameters().get(key);
            try (NDArray gradient = p.value().getGradient()) {
                assertTrue(gradient.abs().max().getFloat() > 0f, key + " received no gradient");
            }
        }
        // the training pass computes what the inference pass computes
        NDArray inferenceBefore = net.forward(ForwardContext.DEFAULT, new NDList(x)).head();
        assertEquals(before, inferenceBefore.sub(target).square().mean().getFloat(), 1e-6 * before);
        Optimizer sgd = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(learningRate)).build();
        net.applyGradients(sgd::update);
        double after = net.forward(ForwardContext.DEFAULT, new NDList(x)).head().sub(target).square().mean().getFloat();
        assertTrue(after < before, "loss " + before + " -> " + after);
    }

    @Test
    void anInputOfTheWrongChannelCountIsRefusedNamingThePart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.forward(ForwardContext.DEFAULT, new NDList(manager.zeros(new Shape(1, IN + 1, 4, 4)))));
        assertTrue(e.getMessage().contains("c:") && e.getMessage().contains("(1, 7, 4, 4)"), e.getMessage());
    }

    @Test
    void crossLayerInitialisationMixesExactlyTheKeptConvolution() {
        NDArray kept = manager.randomNormal(new Shape(OUT, IN, 3, 3));
        NDArray keptBias = manager.randomNormal(new Shape(OUT));
        NDArray neighbour = manager.randomNormal(new Shape(OUT, IN, 3, 3));
        NDArray neighbourBias = manager.randomNormal(new Shape(OUT));
        Map<String, NDArray> teacher = Map.of("k.weight", kept, "k.bias", keptBias, "n.weight", neighbour,
                "n.bias", neighbourBias);
        Map<String, NDArray> init = CrossLayerInit.weights(teacher, "k", List.of("n"), "c", EXPERTS, manager);
        assertEquals(net.allParameters().keySet(), init.keySet());
        // expert 1 is the neighbour, expert 2 the kept convolution (no second neighbour)
        assertArrayEquals(neighbour.toFloatArray(), init.get("c.experts.weight").get(0).toFloatArray(), 0f);
        assertArrayEquals(kept.toFloatArray(), init.get("c.experts.weight").get(1).toFloatArray(), 0f);
        net.replaceWeights(init);
        NDArray y = net.forward(ForwardContext.DEFAULT, new NDList(x)).head();
        assertArrayEquals(plainConv(x, kept, keptBias).toFloatArray(), y.toFloatArray(), 1e-4f);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CrossLayerInit.weights(
                Map.of("k.weight", kept, "k.bias", keptBias, "n.weight", manager.zeros(new Shape(OUT, IN, 1, 1)),
                        "n.bias", neighbourBias), "k", List.of("n"), "c", EXPERTS, manager));
        assertTrue(e.getMessage().contains("'n'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> CrossLayerInit.weights(teacher, "k", List.of("missing"), "c", EXPERTS, manager));
        assertTrue(e.getMessage().contains("missing.weight"), e.getMessage());
    }
}

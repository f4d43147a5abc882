package io.github.sdm.unet.djl.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class AttentionTest {

    @Test
    void slicingAndPassingTheSameArrayTwiceChangeNothing() {
        Attention attn = new Attention("attn1", 8, 8, 2, 4, false);
        try (NDManager manager = NDManager.newBaseManager()) {
            RandomWeights.initialize(attn, 7, manager);
            NDArray x = manager.randomNormal(new Shape(3, 5, 8));
            float[] self = attn.forward(ForwardContext.DEFAULT, x).toFloatArray();
            float[] twice = attn.forward(ForwardContext.DEFAULT, x, x).toFloatArray();
            float[] sliced = attn.forward(ForwardContext.DEFAULT.withAttentionSliceSize(4), x).toFloatArray();
            assertArrayEquals(self, twice, 0f);
            assertArrayEquals(self, sliced, 1e-6f);
            // the input survives being lent to the part's scope (twice) and is usable afterwards
            assertEquals(manager, x.getManager());
            assertEquals(3 * 5 * 8, x.toFloatArray().length);
        }
    }

    @Test
    void matchesSoftmaxAttentionComputedByHand() {
        // one head of width 2, identity projections: out = softmax(q k^T / sqrt 2) v
        Attention attn = new Attention("a", 2, 2, 1, 2, false);
        try (NDManager manager = NDManager.newBaseManager()) {
            RandomWeights.initialize(attn, 1, manager);
            NDArray eye = manager.eye(2);
            for (String p : new String[] {"a.to_q.weight", "a.to_k.weight", "a.to_v.weight", "a.to_out.0.weight"}) {
                attn.allParameters().get(p).value().set(eye.toFloatArray());
            }
            attn.allParameters().get("a.to_out.0.bias").value().set(new float[] {0, 0});
            float[][] x = {{1, 0}, {0, 2}, {1, 1}};
            NDArray input = manager.create(new float[] {1, 0, 0, 2, 1, 1}, new Shape(1, 3, 2));
            float[] expected = new float[6];
            for (int i = 0; i < 3; i++) {
                double[] w = new double[3];
                double sum = 0;
                for (int j = 0; j < 3; j++) {
                    w[j] = Math.exp((x[i][0] * x[j][0] + x[i][1] * x[j][1]) / Math.sqrt(2));
                    sum += w[j];
                }
                for (int j = 0; j < 3; j++) {
                    expected[2 * i] += (float) (w[j] / sum * x[j][0]);
                    expected[2 * i + 1] += (float) (w[j] / sum * x[j][1]);
                }
            }
            assertArrayEquals(expected, attn.forward(ForwardContext.DEFAULT, input).toFloatArray(), 1e-6f);
        }
    }
}

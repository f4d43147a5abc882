package io.github.sdm.unet.djl.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.unet.weights.WeightSource;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupNormTest {
    @TempDir
    Path dir;

    @Test
    void matchesHandComputedGroupNormWithAffine() throws Exception {
        int n = 2, c = 6, h = 2, w = 3, groups = 3;
        double eps = 1e-5;
        float[] x = new float[n * c * h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(0.7 * i) * (1 + i % 5);
        }
        float[] gamma = {1f, -2f, 0.5f, 3f, 1.5f, -1f};
        float[] beta = {0f, 1f, -1f, 0.25f, 2f, -0.5f};
        Path file = new TestSafetensors().put("gn.weight", gamma, c).put("gn.bias", beta, c)
                .write(dir.resolve("gn.safetensors"));

        float[] expected = new float[x.length];
        int perGroup = c / groups * h * w;
        for (int b = 0; b < n; b++) {
            for (int g = 0; g < groups; g++) {
                int start = (b * c + g * c / groups) * h * w;
                double mean = 0;
                for (int i = 0; i < perGroup; i++) {
                    mean += x[start + i];
                }
                mean /= perGroup;
                double var = 0;
                for (int i = 0; i < perGroup; i++) {
                    var += (x[start + i] - mean) * (x[start + i] - mean);
                }
                var /= perGroup; // biased, as torch.nn.GroupNorm
                for (int i = 0; i < perGroup; i++) {
                    int channel = (start + i) / (h * w) % c;
                    expected[start + i] = (float) ((x[start + i] - mean) / Math.sqrt(var + eps) * gamma[channel]
                            + beta[channel]);
                }
            }
        }

        GroupNorm norm = new GroupNorm("gn", groups, c, eps);
        try (NDManager manager = NDManager.newBaseManager(); SafetensorsFile f = SafetensorsFile.open(file)) {
            WeightLoader.load(norm, WeightSource.of(f), manager);
            NDArray out = norm.forward(ForwardContext.DEFAULT, manager.create(x, new Shape(n, c, h, w)));
            assertEquals(new Shape(n, c, h, w), out.getShape());
            assertArrayEquals(expected, out.toFloatArray(), 1e-5f);
        }
    }
}

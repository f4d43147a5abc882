package io.github.sdm.unet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.core.safetensors.SafetensorsFile;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The reference fixtures in the test resources ({@code fixtures/...}) and the tiny diffusers pipeline
 * folder of the repository ({@code models/tiny-sd}), with the comparison every parity test uses.
 */
public final class Fixtures {
    private Fixtures() {
    }

    public static Path fixture(String relative) {
        try {
            return Path.of(Fixtures.class.getResource("/fixtures").toURI()).resolve(relative);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code models/tiny-sd} at the repository root (the module's {@code ../models/tiny-sd}). */
    public static Path tinySd() {
        // test-classes -> target -> sdm-unet -> repository root
        Path moduleDir = fixture("").getParent().getParent().getParent();
        Path folder = moduleDir.resolve("../models/tiny-sd").normalize();
        assertTrue(Files.isDirectory(folder), "missing model folder " + folder);
        return folder;
    }

    /** A float tensor of a reference file as an NDArray of its stored shape. */
    public static NDArray floats(SafetensorsFile file, String name, NDManager manager) {
        return manager.create(file.floats(name), new Shape(file.info(name).shape()));
    }

    /** An integer tensor of a reference file as an int64 NDArray of its stored shape. */
    public static NDArray longs(SafetensorsFile file, String name, NDManager manager) {
        return manager.create(file.longs(name), new Shape(file.info(name).shape())).toType(DataType.INT64, false);
    }

    /** Equal shapes and every element within {@code 1e-4 * max(1, max|expected|)}. */
    public static void assertClose(NDArray expected, NDArray actual, String what) {
        assertArrayEquals(expected.getShape().getShape(), actual.getShape().getShape(), what + ": shape");
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        float scale = 1f;
        for (float v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        float tolerance = 1e-4f * scale;
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < e.length; i++) {
            double d = Math.abs((double) e[i] - a[i]);
            if (!(d <= worst)) {
                worst = d;
                worstAt = i;
            }
        }
        assertTrue(worst <= tolerance, what + ": max |difference| " + worst + " at flat index " + worstAt
                + " (expected " + (worstAt < 0 ? "-" : e[worstAt]) + ", got " + (worstAt < 0 ? "-" : a[worstAt])
                + "), tolerance " + tolerance);
    }
}

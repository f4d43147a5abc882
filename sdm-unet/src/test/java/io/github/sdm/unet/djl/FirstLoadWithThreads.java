package io.github.sdm.unet.djl;

import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.model.LoadOptions;
import java.nio.file.Path;

/**
 * Loads a model with a thread count as the JVM's first engine use, then generates one step; run in a fresh
 * JVM by {@link FirstLoadWithThreadsTest}. Prints {@code generated WxH} when it worked.
 */
public final class FirstLoadWithThreads {
    private FirstLoadWithThreads() {
    }

    public static void main(String[] args) {
        try (StableDiffusion sd = StableDiffusion.load(Path.of(args[0]), LoadOptions.defaults().withThreads(2))) {
            var image = sd.txt2img("a boat").steps(1).seed(1).generate().images().get(0);
            System.out.println("generated " + image.getWidth() + "x" + image.getHeight());
        }
    }
}

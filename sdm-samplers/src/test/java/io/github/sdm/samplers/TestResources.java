package io.github.sdm.samplers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads test resources as text. */
final class TestResources {

    private TestResources() {
    }

    static String text(String path) {
        try (InputStream in = TestResources.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Stable Diffusion 1.x model folder's scheduler_config.json (a PNDMScheduler configuration). */
    static SamplerConfig modelFolderConfig() {
        return SamplerConfig.parse(text("fixtures/tiny-sd-pipe/scheduler_config.json"));
    }
}

package io.github.sdm.core;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Locates the reference fixtures copied into {@code src/test/resources/fixtures}. */
public final class TestFixtures {
    private TestFixtures() {
    }

    /** The tiny SD 1.x folder the project ships as its default model (also the pipeline fixtures' model). */
    public static Path tinyModel() {
        return Path.of("../models/tiny-sd");
    }

    /** The fixture at {@code relative} under {@code fixtures/}, e.g. {@code "tokenizer/cases.json"}. */
    public static Path path(String relative) {
        URL url = TestFixtures.class.getResource("/fixtures/" + relative);
        if (url == null) {
            throw new IllegalStateException("test fixture missing: fixtures/" + relative);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}

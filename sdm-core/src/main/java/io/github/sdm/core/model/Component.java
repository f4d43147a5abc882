package io.github.sdm.core.model;

/** One entry of {@code model_index.json}: component {@code name} is an instance of {@code library.className}. */
public record Component(String name, String library, String className) {
}

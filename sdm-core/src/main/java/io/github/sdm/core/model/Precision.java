package io.github.sdm.core.model;

/** A floating-point type for weights or computation ({@link LoadOptions}). */
public enum Precision {
    FP32, FP16, BF16
}

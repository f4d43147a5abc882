package io.github.sdm.core;

/** The floating-point type the networks compute in. CPU runs compute in FP32 whatever the weights hold. */
public enum Precision {
    FP32, FP16, BF16
}

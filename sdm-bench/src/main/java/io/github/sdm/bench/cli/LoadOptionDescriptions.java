package io.github.sdm.bench.cli;

/** The help texts of the load options that {@code sdm generate} and {@code sdm bench} share, written once. */
final class LoadOptionDescriptions {
    static final String BACKEND = "Network backend by name: djl (safetensors folders and single files) or onnx (ONNX "
            + "exports, and graphs sdm builds from safetensors folders and single files; docs/onnx.md) (default: "
            + "-Dsdm.backend, else the highest-ranked backend that reads the model's weights).";

    static final String WEIGHT_PAGING = "After each layer's call, hand the pages of its memory-mapped weights back to "
            + "the page cache, so the process holds about one layer's weights at a time (Linux; weights held as the "
            + "files store them: fp32 from F32 files, fp16 from F16 files, int8 from the int8 files 'sdm quantize' "
            + "writes; same results, each call reads its weights "
            + "again from the page cache).";

    private LoadOptionDescriptions() {
    }
}

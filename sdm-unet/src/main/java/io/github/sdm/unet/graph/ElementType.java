package io.github.sdm.unet.graph;

/** The element types the built graphs use, with ONNX's {@code TensorProto.DataType} numbers. */
public enum ElementType {
    FLOAT(1, 4),
    INT8(3, 1),
    INT32(6, 4),
    INT64(7, 8),
    FLOAT16(10, 2),
    BFLOAT16(16, 2);

    final int onnxCode;
    private final int bytes;

    ElementType(int onnxCode, int bytes) {
        this.onnxCode = onnxCode;
        this.bytes = bytes;
    }

    /** ONNX's {@code TensorProto.DataType} number. */
    public int onnxCode() {
        return onnxCode;
    }

    /** The size of one element in bytes. */
    public int bytes() {
        return bytes;
    }
}

package io.github.sdm.unet.graph;

/** The element types the built graphs use, with ONNX's {@code TensorProto.DataType} numbers. */
public enum ElementType {
    FLOAT(1, 4),
    INT32(6, 4),
    INT64(7, 8);

    final int onnxCode;
    final int bytes;

    ElementType(int onnxCode, int bytes) {
        this.onnxCode = onnxCode;
        this.bytes = bytes;
    }
}

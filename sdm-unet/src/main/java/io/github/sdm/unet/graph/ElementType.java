package io.github.sdm.unet.graph;

/** The element types the built graphs use, with ONNX's {@code TensorProto.DataType} numbers. */
public enum ElementType {
    FLOAT(1),
    INT32(6),
    INT64(7);

    final int onnxCode;

    ElementType(int onnxCode) {
        this.onnxCode = onnxCode;
    }
}

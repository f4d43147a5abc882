package io.github.sdm.unet.graph;

/**
 * One attribute of a graph node (ONNX's {@code AttributeProto}): an integer, a float, a string or a list of integers.
 *
 * @param name the attribute's name, e.g. {@code "kernel_shape"}
 * @param type ONNX's attribute type: {@link #FLOAT}, {@link #INT}, {@link #STRING} or {@link #INTS}
 * @param number the value of an {@code INT} or {@code FLOAT} attribute
 * @param text the value of a {@code STRING} attribute
 * @param numbers the values of an {@code INTS} attribute
 */
public record Attribute(String name, int type, double number, String text, long[] numbers) {
    static final int FLOAT = 1;
    static final int INT = 2;
    static final int STRING = 3;
    static final int INTS = 7;

    /** An integer attribute. */
    public static Attribute of(String name, long value) {
        return new Attribute(name, INT, value, null, null);
    }

    /** A float attribute. */
    public static Attribute of(String name, float value) {
        return new Attribute(name, FLOAT, value, null, null);
    }

    /** A string attribute. */
    public static Attribute of(String name, String value) {
        return new Attribute(name, STRING, 0, value, null);
    }

    /** A list-of-integers attribute. */
    public static Attribute ints(String name, long... values) {
        return new Attribute(name, INTS, 0, null, values.clone());
    }

    /** ONNX's {@code AttributeProto} fields: name 1, f 2, i 3, s 4, ints 8, type 20. */
    ProtoWriter encode() {
        ProtoWriter w = new ProtoWriter().string(1, name);
        switch (type) {
            case FLOAT -> w.float32(2, (float) number);
            case INT -> w.varint(3, (long) number);
            case STRING -> w.string(4, text);
            case INTS -> w.packedVarints(8, numbers);
            default -> throw new IllegalStateException("attribute type " + type);
        }
        return w.varint(20, type);
    }
}

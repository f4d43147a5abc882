package io.github.sdm.unet.onnx;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The fields of one protocol-buffer message in a byte buffer (the wire format an {@code .onnx} file is written in),
 * read without a protobuf library: enough to look at a graph's inputs and nodes, not to decode whole models. Large
 * fields (embedded weights) are skipped over, never copied.
 */
final class ProtoFields {
    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;

    /**
     * One field.
     *
     * @param number the field number
     * @param value a varint field's value (0 for others)
     * @param start where the payload starts: a varint's first byte, a length-delimited field's first content byte
     * @param end where the payload ends (exclusive)
     */
    record Field(int number, long value, int start, int end) {
    }

    private ProtoFields() {
    }

    /**
     * The fields of the message in {@code bytes[from, to)}, in order.
     *
     * @throws IllegalArgumentException if the bytes are not a well-formed message (a deprecated group, say)
     */
    static List<Field> read(ByteBuffer bytes, int from, int to) {
        List<Field> fields = new ArrayList<>();
        int[] at = {from};
        while (at[0] < to) {
            long key = varint(bytes, at);
            int number = (int) (key >>> 3);
            int start = at[0];
            switch ((int) (key & 7)) {
                case VARINT -> fields.add(new Field(number, varint(bytes, at), start, at[0]));
                case FIXED64 -> fields.add(new Field(number, 0, start, at[0] += 8));
                case FIXED32 -> fields.add(new Field(number, 0, start, at[0] += 4));
                case LENGTH_DELIMITED -> {
                    int length = Math.toIntExact(varint(bytes, at));
                    fields.add(new Field(number, 0, at[0], at[0] + length));
                    at[0] += length;
                }
                default -> throw new IllegalArgumentException("unsupported wire type " + (key & 7) + " at byte " + start);
            }
        }
        if (at[0] != to) {
            throw new IllegalArgumentException("a field runs past the end of its message at byte " + to);
        }
        return fields;
    }

    /** The fields of a length-delimited field's content. */
    static List<Field> read(ByteBuffer bytes, Field message) {
        return read(bytes, message.start(), message.end());
    }

    /** A length-delimited field's content as UTF-8 text. */
    static String string(ByteBuffer bytes, Field field) {
        byte[] text = new byte[field.end() - field.start()];
        bytes.get(field.start(), text);
        return new String(text, StandardCharsets.UTF_8);
    }

    private static long varint(ByteBuffer bytes, int[] at) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = bytes.get(at[0]++);
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("varint longer than 10 bytes at byte " + at[0]);
    }
}

package io.github.sdm.core.safetensors;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.github.sdm.core.error.ModelFormatException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** Validation of one header entry and of the layout of all entries together. */
final class HeaderEntry {
    private HeaderEntry() {
    }

    static TensorInfo parse(Path path, String name, JsonElement element, long dataLength) {
        String where = path + ": tensor '" + name + "'";
        if (!element.isJsonObject()) {
            throw new ModelFormatException(where + ": header entry is not a JSON object but " + element);
        }
        JsonObject o = element.getAsJsonObject();
        if (!o.has("dtype") || !o.has("shape") || !o.has("data_offsets")) {
            throw new ModelFormatException(where + ": header entry needs dtype, shape and data_offsets, found " + o);
        }
        JsonElement dtypeJson = o.get("dtype");
        if (!dtypeJson.isJsonPrimitive() || !dtypeJson.getAsJsonPrimitive().isString()) {
            throw new ModelFormatException(where + ": dtype must be a string, found " + dtypeJson);
        }
        DType dtype = DType.fromHeaderName(dtypeJson.getAsString());
        if (dtype == null) {
            throw new ModelFormatException(where + ": unknown dtype " + dtypeJson + " (safetensors dtypes: "
                    + Arrays.toString(DType.values()) + ")");
        }
        long[] shape = nonNegativeIntegers(where, "shape", o.get("shape"));
        long[] offsets = nonNegativeIntegers(where, "data_offsets", o.get("data_offsets"));
        if (offsets.length != 2) {
            throw new ModelFormatException(where + ": data_offsets must hold two numbers, found " + o.get("data_offsets"));
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (end < begin) {
            throw new ModelFormatException(where + ": data_offsets " + o.get("data_offsets") + " end before they begin");
        }
        if (end > dataLength) {
            throw new ModelFormatException(where + ": data_offsets " + o.get("data_offsets")
                    + " run past the end of the data section (" + dataLength + " bytes); the file is truncated");
        }
        long expectedBytes = byteCount(where, shape, dtype);
        if (expectedBytes != end - begin) {
            throw new ModelFormatException(where + ": shape " + Arrays.toString(shape) + " of " + dtype + " needs "
                    + expectedBytes + " bytes but data_offsets " + o.get("data_offsets") + " hold " + (end - begin));
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    private static long byteCount(String where, long[] shape, DType dtype) {
        try {
            long n = dtype.byteSize();
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        } catch (ArithmeticException e) {
            throw new ModelFormatException(where + ": shape " + Arrays.toString(shape) + " is too large");
        }
    }

    private static long[] nonNegativeIntegers(String where, String key, JsonElement json) {
        if (!json.isJsonArray()) {
            throw new ModelFormatException(where + ": " + key + " must be an array of integers, found " + json);
        }
        JsonArray array = json.getAsJsonArray();
        long[] values = new long[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = nonNegativeInteger(where, key, array.get(i));
        }
        return values;
    }

    private static long nonNegativeInteger(String where, String key, JsonElement json) {
        if (json.isJsonPrimitive() && ((JsonPrimitive) json).isNumber()) {
            try {
                long v = new BigDecimal(json.getAsString()).longValueExact();
                if (v >= 0) {
                    return v;
                }
            } catch (ArithmeticException | NumberFormatException e) {
                // falls through to the error below
            }
        }
        throw new ModelFormatException(where + ": " + key + " holds " + json + ", expected a non-negative integer");
    }

    static void checkNoOverlap(Path path, Collection<TensorInfo> tensors) {
        List<TensorInfo> sorted = new ArrayList<>(tensors);
        sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long furthestEnd = 0;
        TensorInfo furthest = null;
        for (TensorInfo current : sorted) {
            if (furthest != null && current.begin() < furthestEnd && current.byteLength() > 0) {
                throw new ModelFormatException(path + ": tensors '" + furthest.name() + "' (bytes " + furthest.begin()
                        + ".." + furthest.end() + ") and '" + current.name() + "' (bytes " + current.begin() + ".."
                        + current.end() + ") overlap in the data section");
            }
            if (current.end() > furthestEnd) {
                furthestEnd = current.end();
                furthest = current;
            }
        }
    }
}

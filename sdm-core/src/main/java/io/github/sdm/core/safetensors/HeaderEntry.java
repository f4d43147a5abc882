package io.github.sdm.core.safetensors;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.sdm.core.ModelFormatException;
import java.nio.file.Path;
import java.util.ArrayList;
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
            throw new ModelFormatException(where + ": header entry is not a JSON object");
        }
        JsonObject o = element.getAsJsonObject();
        if (!o.has("dtype") || !o.has("shape") || !o.has("data_offsets")) {
            throw new ModelFormatException(where + ": header entry needs dtype, shape and data_offsets");
        }
        String dtypeName = o.get("dtype").getAsString();
        DType dtype = DType.fromHeaderName(dtypeName);
        if (dtype == null) {
            throw new ModelFormatException(where + ": unsupported dtype " + dtypeName
                    + " (supported: F32, F16, BF16, I64, I32)");
        }
        JsonArray shapeJson = o.getAsJsonArray("shape");
        long[] shape = new long[shapeJson.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeJson.get(i).getAsLong();
            if (shape[i] < 0) {
                throw new ModelFormatException(where + ": negative dimension " + shape[i] + " in shape " + shapeJson);
            }
        }
        JsonArray offsets = o.getAsJsonArray("data_offsets");
        if (offsets.size() != 2) {
            throw new ModelFormatException(where + ": data_offsets must hold two numbers, found " + offsets);
        }
        long begin = offsets.get(0).getAsLong();
        long end = offsets.get(1).getAsLong();
        if (begin < 0 || end < begin) {
            throw new ModelFormatException(where + ": invalid data_offsets " + offsets);
        }
        if (end > dataLength) {
            throw new ModelFormatException(where + ": data_offsets " + offsets + " run past the end of the data ("
                    + dataLength + " bytes); the file is truncated");
        }
        TensorInfo info = new TensorInfo(name, dtype, shape, begin, end);
        long expectedBytes = info.elementCount() * dtype.byteSize();
        if (expectedBytes != info.byteLength()) {
            throw new ModelFormatException(where + ": shape " + shapeJson + " of " + dtype + " needs " + expectedBytes
                    + " bytes but data_offsets give " + info.byteLength());
        }
        return info;
    }

    static void checkNoOverlap(Path path, Collection<TensorInfo> tensors) {
        List<TensorInfo> sorted = new ArrayList<>(tensors);
        sorted.sort(Comparator.comparingLong(TensorInfo::begin));
        for (int i = 1; i < sorted.size(); i++) {
            TensorInfo previous = sorted.get(i - 1);
            TensorInfo current = sorted.get(i);
            if (current.begin() < previous.end()) {
                throw new ModelFormatException(path + ": tensors '" + previous.name() + "' and '" + current.name()
                        + "' overlap in the data section");
            }
        }
    }
}

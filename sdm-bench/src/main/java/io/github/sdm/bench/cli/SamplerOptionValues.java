package io.github.sdm.bench.cli;

/** Turns a command-line {@code FIELD=VALUE} value into the JSON-like type a scheduler config field holds. */
final class SamplerOptionValues {
    private SamplerOptionValues() {
    }

    static Object parse(String text) {
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        try {
            return text.matches("-?\\d+") ? (Object) Long.parseLong(text) : (Object) Double.parseDouble(text);
        } catch (NumberFormatException notANumber) {
            return text;
        }
    }
}

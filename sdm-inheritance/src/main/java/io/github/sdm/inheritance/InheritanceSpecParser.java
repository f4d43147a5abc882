package io.github.sdm.inheritance;

import io.github.sdm.core.error.InvalidRequestException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads the spec grammar documented on {@link FeatureInheritance}; every error names the token at fault. */
final class InheritanceSpecParser {
    private static final String SCHEDULE_FORMS =
            "interval=N, quadratic=N[,center=F], bands=A,B,interval=N or keys=I,J,...";

    private InheritanceSpecParser() {
    }

    /** A full spec or a preset name. */
    static FeatureInheritance parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new InvalidRequestException("feature inheritance spec is empty; expected a preset ("
                    + FeatureInheritance.presetNames() + ") or LEVEL:TARGET:SCHEDULE such as block:2:interval=3");
        }
        String trimmed = spec.trim();
        if (!trimmed.contains(":")) {
            InheritancePreset preset = InheritancePreset.byName(trimmed);
            if (preset == null) {
                throw new InvalidRequestException("feature inheritance spec '" + trimmed + "' is neither a preset ("
                        + FeatureInheritance.presetNames() + ") nor LEVEL:TARGET:SCHEDULE such as block:2:interval=3");
            }
            return preset.inheritance();
        }
        return parseSpec(trimmed);
    }

    /** {@code LEVEL:TARGET:SCHEDULE}. */
    static FeatureInheritance parseSpec(String spec) {
        String[] parts = spec.split(":", -1);
        if (parts.length != 3) {
            throw error(spec, "expected LEVEL:TARGET:SCHEDULE (three parts separated by ':'), got " + parts.length
                    + " part" + (parts.length == 1 ? "" : "s"));
        }
        String levelToken = parts[0].trim().toLowerCase(Locale.ROOT);
        InheritanceLevel level = null;
        for (InheritanceLevel l : InheritanceLevel.values()) {
            if (l.token().equals(levelToken)) {
                level = l;
            }
        }
        if (level == null) {
            throw error(spec, "unknown level '" + parts[0] + "' (block, layer or unit)");
        }
        List<String> targets = items(spec, parts[1], "target");
        KeyStepSchedule schedule = parseSchedule(spec, parts[2]);
        try {
            return switch (level) {
                case BLOCK -> {
                    if (targets.size() != 1) {
                        throw error(spec, "block target must be one depth, got '" + parts[1] + "'");
                    }
                    yield FeatureInheritance.block(integer(spec, "depth", targets.get(0), 1), schedule);
                }
                case LAYER -> FeatureInheritance.layers(selectors(spec, targets), schedule);
                case UNIT -> {
                    Set<UnitKind> kinds = EnumSet.noneOf(UnitKind.class);
                    List<String> rest = new ArrayList<>();
                    for (String t : targets) {
                        UnitKind kind = UnitKind.fromToken(t.toLowerCase(Locale.ROOT));
                        if (kind != null) {
                            kinds.add(kind);
                        } else {
                            rest.add(t);
                        }
                    }
                    if (kinds.isEmpty()) {
                        throw error(spec, "unit target '" + parts[1] + "' names no unit (attn1, attn2, ff)");
                    }
                    yield FeatureInheritance.units(kinds, selectors(spec, rest), schedule);
                }
            };
        } catch (InvalidRequestException e) {
            throw e.getMessage().startsWith(prefix(spec)) ? e : error(spec, e.getMessage());
        }
    }

    /** The schedule part, e.g. {@code bands=2,2,interval=4}; {@code spec} is the whole spec, for messages. */
    static KeyStepSchedule parseSchedule(String spec, String schedule) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        List<String> current = null;
        for (String item : items(spec, schedule, "schedule")) {
            int eq = item.indexOf('=');
            if (eq < 0) {
                if (current == null) {
                    throw error(spec, "schedule value '" + item + "' has no parameter name; expected "
                            + SCHEDULE_FORMS);
                }
                current.add(item);
                continue;
            }
            String name = item.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            if (!List.of("interval", "quadratic", "center", "bands", "keys").contains(name)) {
                throw error(spec, "unknown schedule parameter '" + item.substring(0, eq) + "'; expected "
                        + SCHEDULE_FORMS);
            }
            if (params.containsKey(name)) {
                throw error(spec, "schedule parameter '" + name + "' given twice");
            }
            current = new ArrayList<>();
            current.add(item.substring(eq + 1).trim());
            params.put(name, current);
        }
        try {
            return schedule(spec, params);
        } catch (InvalidRequestException e) {
            throw e.getMessage().startsWith(prefix(spec)) ? e : error(spec, e.getMessage());
        }
    }

    private static KeyStepSchedule schedule(String spec, Map<String, List<String>> params) {
        Set<String> names = params.keySet();
        if (names.equals(Set.of("interval"))) {
            return new KeyStepSchedule.Uniform(integer(spec, "interval", single(spec, params, "interval"), 1));
        }
        if (names.equals(Set.of("quadratic")) || names.equals(Set.of("quadratic", "center"))) {
            int n = integer(spec, "quadratic interval", single(spec, params, "quadratic"), 1);
            if (!params.containsKey("center")) {
                return new KeyStepSchedule.Quadratic(n);
            }
            String c = single(spec, params, "center");
            try {
                return new KeyStepSchedule.Quadratic(n, Double.parseDouble(c));
            } catch (NumberFormatException e) {
                throw error(spec, "center '" + c + "' is not a number between 0 and 1");
            }
        }
        if (names.equals(Set.of("bands", "interval"))) {
            List<String> bands = params.get("bands");
            if (bands.size() != 2) {
                throw error(spec, "bands takes two counts, early and late calls (bands=A,B), got "
                        + String.join(",", bands));
            }
            return new KeyStepSchedule.Bands(integer(spec, "early band", bands.get(0), 0),
                    integer(spec, "late band", bands.get(1), 0),
                    integer(spec, "interval", single(spec, params, "interval"), 1));
        }
        if (names.equals(Set.of("keys"))) {
            List<Integer> keys = new ArrayList<>();
            for (String k : params.get("keys")) {
                keys.add(integer(spec, "key step", k, 0));
            }
            return new KeyStepSchedule.Explicit(keys);
        }
        if (names.equals(Set.of("bands"))) {
            throw error(spec, "bands needs an interval for the calls between the bands (bands=A,B,interval=N)");
        }
        throw error(spec, "schedule parameters " + names + " do not form a schedule; expected " + SCHEDULE_FORMS);
    }

    private static String single(String spec, Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        if (values.size() != 1) {
            throw error(spec, name + " takes one value, got " + String.join(",", values));
        }
        return values.get(0);
    }

    private static List<PartSelector> selectors(String spec, List<String> tokens) {
        List<PartSelector> out = new ArrayList<>();
        for (String t : tokens) {
            try {
                out.add(PartSelector.of(t));
            } catch (InvalidRequestException e) {
                throw error(spec, e.getMessage());
            }
        }
        return out;
    }

    /** Comma-separated non-empty items. */
    private static List<String> items(String spec, String text, String what) {
        List<String> out = new ArrayList<>();
        for (String item : text.split(",", -1)) {
            String t = item.trim();
            if (t.isEmpty()) {
                throw error(spec, "empty item in " + what + " '" + text + "'");
            }
            out.add(t);
        }
        return out;
    }

    private static int integer(String spec, String what, String token, int min) {
        int value;
        try {
            value = Integer.parseInt(token.trim());
        } catch (NumberFormatException e) {
            throw error(spec, what + " '" + token + "' is not a whole number");
        }
        if (value < min) {
            throw error(spec, what + " '" + token + "' must be >= " + min);
        }
        return value;
    }

    private static String prefix(String spec) {
        return "feature inheritance spec '" + spec + "': ";
    }

    private static InvalidRequestException error(String spec, String message) {
        return new InvalidRequestException(prefix(spec) + message);
    }
}

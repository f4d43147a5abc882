package io.github.sdm.bench.cli;

import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.core.model.Residency;
import java.util.Locale;

/** {@code --residency resident|per-stage}: the {@link Residency} of the loaded model. */
final class ResidencyOption {
    static final String DESCRIPTION = "resident = every network stays loaded (servers, highest throughput); "
            + "per-stage = each network is loaded for its stage and released after it (text encoder, UNet, VAE), "
            + "for a lower peak memory (default: ${DEFAULT-VALUE}).";

    private ResidencyOption() {
    }

    /** {@code resident} or {@code per-stage} (case-insensitive; {@code per_stage} too). */
    static Residency parse(String value) {
        String name = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (Residency residency : Residency.values()) {
            if (residency.name().equals(name)) {
                return residency;
            }
        }
        throw new InvalidRequestException("--residency: expected resident or per-stage, got '" + value + "'");
    }

    /** How reports name it: {@code per-stage}. */
    static String label(Residency residency) {
        return residency.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}

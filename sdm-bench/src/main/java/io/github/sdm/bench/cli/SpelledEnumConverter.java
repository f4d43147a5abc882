package io.github.sdm.bench.cli;

import io.github.sdm.assembly.data.DataOrder;
import io.github.sdm.bench.quality.QualityPrompts;
import java.util.Arrays;
import java.util.stream.Collectors;
import picocli.CommandLine;

/**
 * Reads an enum option by each constant's {@code toString()} (its command-line spelling, e.g. {@code per-emoji}),
 * and names every accepted spelling when the value is none of them. Subclass once per enum: picocli instantiates
 * converters by class.
 */
abstract class SpelledEnumConverter<E extends Enum<E>> implements CommandLine.ITypeConverter<E> {
    private final Class<E> type;
    private final String what;

    /** @param what the option's value in words, for the error: "a data order" */
    SpelledEnumConverter(Class<E> type, String what) {
        this.type = type;
        this.what = what;
    }

    @Override
    public E convert(String value) {
        for (E constant : type.getEnumConstants()) {
            if (constant.toString().equals(value)) {
                return constant;
            }
        }
        throw new CommandLine.TypeConversionException("'" + value + "' is not " + what + ": use "
                + Arrays.stream(type.getEnumConstants()).map(Object::toString).collect(Collectors.joining(" or ")));
    }

    /** {@code sdm train --order}. */
    static final class DataOrders extends SpelledEnumConverter<DataOrder> {
        DataOrders() {
            super(DataOrder.class, "a data order");
        }
    }

    /** {@code sdm bench quality --spread}. */
    static final class Spreads extends SpelledEnumConverter<QualityPrompts.Spread> {
        Spreads() {
            super(QualityPrompts.Spread.class, "a prompt spread");
        }
    }
}

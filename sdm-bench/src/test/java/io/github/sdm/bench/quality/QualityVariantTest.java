package io.github.sdm.bench.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.model.Precision;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsing {@code --variant}: single kinds, switching, and parts combined with {@code +}. */
class QualityVariantTest {
    @TempDir
    Path dir;

    @Test
    void aUNetSwapCombinesWithAPreset() {
        QualityVariant v = QualityVariant.parse("unet=" + dir + "+deepcache");
        assertEquals("unet=" + dir + "+deepcache", v.label());
        assertEquals(Map.of("unet", dir), v.components());
        assertNull(v.unetSwitch());
        ModelLocation full = ModelLocation.folder(Path.of("model"));
        assertEquals(dir, v.location(full).componentFolder("unet"));
        assertEquals(Path.of("model", "vae"), v.location(full).componentFolder("vae"));
    }

    @Test
    void aSwitchNamesItsFolderAndSchedule() {
        QualityVariant fraction = QualityVariant.parse("switch=" + dir + "@0.3");
        assertEquals(dir, fraction.unetSwitch().folder());
        // the first 30% of 20 calls on the second UNet: calls 0 to 5
        assertEquals(6, fraction.unetSwitch().schedule().secondCalls(20));
        assertTrue(fraction.unetSwitch().schedule().usesSecond(5, 20));
        assertTrue(!fraction.unetSwitch().schedule().usesSecond(6, 20));
        assertTrue(fraction.components().isEmpty(), "a switch keeps the model's own UNet");

        QualityVariant calls = QualityVariant.parse("preset=deepcache+switch=" + dir + "@calls:1,3");
        assertEquals(2, calls.unetSwitch().schedule().secondCalls(10));
        assertTrue(calls.unetSwitch().schedule().usesSecond(3, 10));
        // teacher first: the last 70% of 20 calls on the second UNet, calls 6 to 19
        QualityVariant late = QualityVariant.parse("switch=" + dir + "@last:0.7");
        assertEquals(14, late.unetSwitch().schedule().secondCalls(20));
        assertTrue(late.unetSwitch().schedule().usesSecond(6, 20) && !late.unetSwitch().schedule().usesSecond(5, 20));
        // a folder may hold an @: the last one separates the schedule
        Path at = dir.resolve("a@b");
        assertTrue(at.toFile().mkdir());
        assertEquals(at, QualityVariant.parse("switch=" + at + "@0.5").unetSwitch().folder());
    }

    @Test
    void aWeightPrecisionLoadsTheModelAgainWithIt() {
        QualityVariant int8 = QualityVariant.parse("weights=int8+steps=10");
        assertEquals(Precision.INT8, int8.weights());
        assertTrue(int8.loadsItsOwnModel());
        assertTrue(int8.components().isEmpty());
        assertEquals(Precision.INT8, int8.loadOptions(LoadOptions.defaults()).weightPrecision());
        QualityVariant steps = QualityVariant.parse("steps=10");
        assertNull(steps.weights());
        assertTrue(!steps.loadsItsOwnModel());
        assertEquals(LoadOptions.defaults(), steps.loadOptions(LoadOptions.defaults()));
    }

    @Test
    void badPartsAreRefusedNamingTheVariantAndThePart() {
        assertMessage("weights=int4", "weights must be fp32, fp16, bf16 or int8, got 'int4'");
        assertMessage("switch=" + dir, "switch needs FOLDER@SCHEDULE");
        assertMessage("switch=" + dir + "@", "switch needs FOLDER@SCHEDULE");
        assertMessage("switch=" + dir + "@1.5", "switch fraction must be between 0 and 1, got 1.5");
        assertMessage("switch=" + dir.resolve("none") + "@0.5", dir.resolve("none") + " is not a folder");
        assertMessage("deepcache+deepcache", "preset is given twice");
        assertMessage("unet=" + dir + "+", "an empty part");
        assertMessage("unet=" + dir + "+colour=red", "unknown kind 'colour'");
        assertMessage("steps=ten+deepcache", "steps must be a whole number, got 'ten'");
    }

    private static void assertMessage(String text, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QualityVariant.parse(text));
        assertTrue(e.getMessage().startsWith("--variant '" + text + "': "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}

package io.github.sdm.assembly.switching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.testkit.TestData;
import io.github.sdm.unet.config.UNetConfig;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class SwitchScheduleTest {

    @Test
    void fractionTakesTheFirstCallsAndListsTakeTheirs() {
        SwitchSchedule fraction = SwitchSchedule.parse("0.4");
        assertEquals(List.of(true, true, true, true, false, false, false, false, false, false),
                java.util.stream.IntStream.range(0, 10).mapToObj(c -> fraction.usesSecond(c, 10)).toList());
        assertEquals(0, SwitchSchedule.parse("0").secondCalls(7));
        assertEquals(7, SwitchSchedule.parse("1").secondCalls(7));
        SwitchSchedule calls = SwitchSchedule.parse("calls:3,1");
        assertTrue(calls.usesSecond(1, 5) && calls.usesSecond(3, 5));
        assertFalse(calls.usesSecond(0, 5));
        assertEquals("calls:1,3", calls.toString());
    }

    /** last:F puts the last calls on the second UNet: the model's UNet draws the layout in the early calls. */
    @Test
    void lastFractionTakesTheLastCalls() {
        SwitchSchedule last = SwitchSchedule.parse("last:0.7");
        assertEquals(List.of(false, false, false, true, true, true, true, true, true, true),
                java.util.stream.IntStream.range(0, 10).mapToObj(c -> last.usesSecond(c, 10)).toList());
        assertEquals(14, last.secondCalls(20));
        assertTrue(last.usesSecond(19, 20) && !last.usesSecond(5, 20) && last.usesSecond(6, 20));
        assertEquals(0, SwitchSchedule.parse("last:0").secondCalls(7));
        assertEquals(7, SwitchSchedule.parse("last:1").secondCalls(7));
        assertEquals("last:0.7", last.toString());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SwitchSchedule.parse("last:2"))
                .getMessage().contains("between 0 and 1, got 2.0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SwitchSchedule.parse("last:x"))
                .getMessage().contains("last:0.7 (the last 70%)"));
    }

    @Test
    void badSchedulesAreRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SwitchSchedule.parse("1.5"))
                .getMessage().contains("between 0 and 1, got 1.5"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SwitchSchedule.parse("calls:1,x"))
                .getMessage().contains("'x' is not a call index"));
    }

    @Test
    void unetsOfAnotherLatentSpaceOrTextWidthAreRefusedNamingTheDifference() throws Exception {
        String json = Files.readString(TestData.tinySd().resolve("unet/config.json"));
        UNetConfig teacher = UNetConfig.parse(json, "teacher");
        UNetConfig other = UNetConfig.parse(json.replace("\"in_channels\": 4", "\"in_channels\": 8")
                .replace("\"cross_attention_dim\": 32", "\"cross_attention_dim\": 64"), "other");
        assertEquals(List.of(), UNetCompatibility.differences(teacher, teacher));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UNetCompatibility.require(teacher, other, "other/unet"));
        assertTrue(e.getMessage().contains("other/unet") && e.getMessage().contains("in_channels 4 vs 8")
                && e.getMessage().contains("cross_attention_dim 32 vs 64"), e.getMessage());
    }
}

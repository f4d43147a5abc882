package io.github.sdm.inheritance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.core.spi.DenoiserSessionOptions;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The spec grammar: parsing, canonical round trips, presets, and errors that name the bad token. */
class FeatureInheritanceTest {

    @Test
    void parsesEveryFormOfTheGrammar() {
        assertEquals(FeatureInheritance.block(2, new KeyStepSchedule.Uniform(3)), FeatureInheritance.parse("block:2:interval=3"));
        assertEquals(FeatureInheritance.block(2, new KeyStepSchedule.Quadratic(5)), FeatureInheritance.parse("block:2:quadratic=5"));
        assertEquals(FeatureInheritance.block(3, new KeyStepSchedule.Quadratic(5, 0.5)),
                FeatureInheritance.parse("block:3:quadratic=5,center=0.5"));
        assertEquals(FeatureInheritance.block(2, new KeyStepSchedule.Bands(2, 2, 4)),
                FeatureInheritance.parse("block:2:bands=2,2,interval=4"));
        assertEquals(FeatureInheritance.block(2, KeyStepSchedule.Explicit.of(0, 1, 2, 4, 8)),
                FeatureInheritance.parse("block:2:keys=0,1,2,4,8"));
        assertEquals(FeatureInheritance.layers(List.of(PartSelector.of("deep")), new KeyStepSchedule.Uniform(2)),
                FeatureInheritance.parse("layer:deep:interval=2"));
        assertEquals(FeatureInheritance.units(Set.of(UnitKind.ATTN2, UnitKind.FF), List.of(), new KeyStepSchedule.Uniform(3)),
                FeatureInheritance.parse("unit:attn2,ff:interval=3"));
        FeatureInheritance scoped = FeatureInheritance.parse(" unit:ff,up_blocks.3,attn1:interval=2 ");
        assertEquals(Set.of(UnitKind.ATTN1, UnitKind.FF), scoped.units());
        assertEquals(List.of(PartSelector.of("up_blocks.3")), scoped.scope());
        assertEquals("unit:attn1,ff,up_blocks.3:interval=2", scoped.spec());
    }

    @Test
    void specRoundTripsThroughTheParser() {
        for (String spec : List.of("block:2:interval=3", "block:12:quadratic=4", "block:1:quadratic=4,center=0.55",
                "block:2:bands=1,3,interval=5", "block:2:keys=0,3,7", "layer:deep:interval=2",
                "layer:down_blocks.2,mid_block.attentions.0,up:keys=0,10",
                "unit:attn1,attn2,ff:interval=4", "unit:attn2,deep,down_blocks.1.attentions:bands=0,2,interval=3")) {
            FeatureInheritance parsed = FeatureInheritance.parse(spec);
            assertEquals(spec, parsed.spec());
            assertEquals(parsed, FeatureInheritance.parse(parsed.spec()));
        }
        // non-canonical input comes back canonical
        assertEquals("block:2:keys=0,4,8", FeatureInheritance.parse("BLOCK:2:keys=8,4").spec());
        assertEquals("unit:attn1,ff:interval=2", FeatureInheritance.parse("unit:ff,attn1,ff:interval=2").spec());
    }

    @Test
    void presetsParseAndAreReachableByName() {
        for (InheritancePreset p : InheritancePreset.values()) {
            FeatureInheritance viaName = FeatureInheritance.parse(p.presetName());
            assertEquals(FeatureInheritance.parse(p.spec()), viaName, p.presetName());
            assertEquals(viaName, FeatureInheritance.preset(p.presetName().toUpperCase()));
            assertTrue(FeatureInheritance.help().contains(p.presetName()));
        }
        assertEquals("block:2:interval=3", FeatureInheritance.preset("deepcache").spec());
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> FeatureInheritance.preset("warp"));
        assertTrue(e.getMessage().contains("'warp'") && e.getMessage().contains("deepcache-fast"), e.getMessage());
    }

    @Test
    void errorsNameTheBadToken() {
        assertError("blok:2:interval=3", "'blok'");
        assertError("block:x:interval=3", "depth 'x'");
        assertError("block:0:interval=3", "depth '0'");
        assertError("block:2,3:interval=3", "'2,3'");
        assertError("block:2:interval=0", "interval '0'");
        assertError("block:2:interval=two", "interval 'two'");
        assertError("block:2:every=3", "'every'");
        assertError("block:2:3", "value '3'");
        assertError("block:2:interval=3,interval=4", "'interval' given twice");
        assertError("block:2:bands=2,2", "needs an interval");
        assertError("block:2:bands=2,interval=4", "bands takes two counts");
        assertError("block:2:quadratic=5,center=half", "center 'half'");
        assertError("block:2:quadratic=5,center=1.5", "1.5");
        assertError("block:2:keys=0,-1,3", "key step '-1'");
        assertError("block:2:keys=0,,3", "empty item");
        assertError("block:2:interval=3,keys=1", "do not form a schedule");
        assertError("block:2", "three parts");
        assertError("layer:deeper:interval=2", "'deeper'");
        assertError("layer:down_blocks.1/x:interval=2", "'down_blocks.1/x'");
        assertError("unit:down_blocks.1:interval=2", "names no unit");
        assertError("unit:attn3:interval=2", "'attn3'");
        assertError("fastest", "'fastest'");
        assertError("", "empty");
    }

    @Test
    void recordsRejectInconsistentFields() {
        assertThrows(InvalidRequestException.class,
                () -> FeatureInheritance.layers(List.of(), new KeyStepSchedule.Uniform(2)));
        assertThrows(InvalidRequestException.class,
                () -> FeatureInheritance.units(Set.of(), List.of(), new KeyStepSchedule.Uniform(2)));
        assertThrows(InvalidRequestException.class, () -> FeatureInheritance.block(2, null));
        assertThrows(InvalidRequestException.class, () -> new FeatureInheritance(InheritanceLevel.BLOCK, 2,
                List.of(PartSelector.of("deep")), Set.of(), new KeyStepSchedule.Uniform(2)));
    }

    @Test
    void selectorsMatchWholeNameSegmentsAndGroups() {
        PartSelector prefix = PartSelector.of("down_blocks.1");
        assertTrue(prefix.matches("down_blocks.1.attentions.0", 4));
        assertTrue(prefix.matches("down_blocks.1", 4));
        assertFalse(prefix.matches("down_blocks.10.resnets.0", 4));
        PartSelector deep = PartSelector.of("deep");
        for (String name : List.of("down_blocks.1.resnets.0", "down_blocks.3.resnets.1", "mid_block.attentions.0",
                "up_blocks.0.resnets.2", "up_blocks.2.attentions.1")) {
            assertTrue(deep.matches(name, 4), name);
        }
        for (String name : List.of("down_blocks.0.resnets.0", "up_blocks.3.attentions.2", "conv_in", "time_embedding")) {
            assertFalse(deep.matches(name, 4), name);
        }
        assertTrue(PartSelector.of("up").matches("up_blocks.3.resnets.0", 4));
        assertFalse(PartSelector.of("mid").matches("middle", 4));
        assertTrue(UnitKind.ATTN2.matches("up_blocks.1.attentions.2.transformer_blocks.0.attn2"));
        assertFalse(UnitKind.ATTN2.matches("up_blocks.1.attentions.2.transformer_blocks.0.attn2.to_q"));
        assertFalse(UnitKind.FF.matches("up_blocks.1.attentions.2.transformer_blocks.0.ff.net.2"));
    }

    @Test
    void sessionOptionsDefaultToNoInheritance() {
        assertEquals(java.util.Optional.empty(), new DenoiserSessionOptions(20).extension(FeatureInheritance.class));
        FeatureInheritance spec = FeatureInheritance.preset("deepcache");
        assertEquals(java.util.Optional.of(spec), new DenoiserSessionOptions(20, java.util.List.of(spec)).extension(FeatureInheritance.class));
        assertThrows(InvalidRequestException.class, () -> new DenoiserSessionOptions(-1));
    }

    private static void assertError(String spec, String expected) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> FeatureInheritance.parse(spec),
                spec);
        assertTrue(e.getMessage().contains(expected), "'" + spec + "' -> " + e.getMessage());
    }
}

package io.github.sdm.unet.djl.unet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.safetensors.SafetensorsWeights;
import io.github.sdm.unet.config.UNetConfig;
import io.github.sdm.unet.djl.nn.Conv2d;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.weights.WeightSource;
import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** UNet variants: no mid block (BK-SDM students) and another convolution kind in the resnets. */
class UNetVariantsTest extends UNetFixtureCalls {
    /** The fixture's config with {@code mid_block_type} set to {@code value} (raw JSON). */
    private UNetConfig configWithMidBlockType(String value) throws IOException {
        String json = Files.readString(FOLDER.resolve("config.json"));
        String edited = json.replace("\"mid_block_type\": \"UNetMidBlock2DCrossAttn\"", "\"mid_block_type\": " + value);
        assertFalse(edited.equals(json), "the fixture names its mid block type");
        return UNetConfig.parse(edited, "edited config");
    }

    @Test
    void anExplicitNullMidBlockTypeMeansNoMidBlockAndAbsenceTheDefault() throws IOException {
        assertTrue(unet.config().hasMidBlock());
        assertFalse(configWithMidBlockType("null").hasMidBlock());
        String json = Files.readString(FOLDER.resolve("config.json")).replace("\"mid_block_type\": \"UNetMidBlock2DCrossAttn\",", "");
        assertTrue(UNetConfig.parse(json, "config without mid_block_type").hasMidBlock());
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> configWithMidBlockType("\"UNetMidBlock2DSimpleCrossAttn\""));
        assertTrue(e.getMessage().contains("mid_block_type"), e.getMessage());
    }

    @Test
    void aUNetWithoutMidBlockHasNoMidPartsLoadsWithoutMidKeysAndRuns() throws IOException {
        UNetConfig config = configWithMidBlockType("null");
        try (SafetensorsWeights weights = SafetensorsWeights.openComponent(FOLDER)) {
            WeightSource withoutMid = WeightSource.of(weights).renamed("without mid_block",
                    key -> key.startsWith("mid_block.") ? null : key);
            try (UNet2DConditionModel student = UNet2DConditionModel.load(config, withoutMid, manager)) {
                assertTrue(student.midBlock().isEmpty());
                assertTrue(student.partNames().stream().noneMatch(n -> n.startsWith("mid_block")),
                        student.partNames().toString());
                assertTrue(student.allParameters().keySet().stream().noneMatch(k -> k.startsWith("mid_block")));
                NDArray out = student.forward(sample, timestep, context, ForwardContext.DEFAULT);
                assertEquals(sample.getShape(), out.getShape());
                // the same as the full UNet with its mid block passing its input through
                NDArray skippedMid = unet.forward(sample, timestep, context, ForwardContext.of((name, in, compute) ->
                        name.equals("mid_block") ? new NDList(in.head()) : compute.apply(in)));
                assertArrayEquals(skippedMid.toFloatArray(), out.toFloatArray(), 0f);
            }
            // the checkpoint's mid keys have no place in it
            ModelFormatException e = assertThrows(ModelFormatException.class,
                    () -> UNet2DConditionModel.load(config, WeightSource.of(weights), manager));
            assertTrue(e.getMessage().contains("mid_block."), e.getMessage());
        }
        try (UNet2DConditionModel random = UNet2DConditionModel.random(config, 3, manager)) {
            assertEquals(sample.getShape(), random.forward(sample, timestep, context, ForwardContext.DEFAULT).getShape());
        }
    }

    /** A convolution kind of its own that computes what {@link Conv2d} computes, and counts its calls. */
    static final class CountingConv2d extends Conv2d {
        static final AtomicInteger CALLS = new AtomicInteger();

        CountingConv2d(String name, int in, int out, int kernel, int padding) {
            super(name, in, out, kernel, 1, padding);
        }

        @Override
        public NDArray apply(NDArray x, boolean training) {
            CALLS.incrementAndGet();
            return super.apply(x, training);
        }
    }

    @Test
    void aLayerFactoryPutsAnotherConvolutionKindInTheResnets() {
        UNetLayerFactory counting = new UNetLayerFactory() {
            @Override
            public Conv2d resnetConv(String name, int inChannels, int outChannels, int kernel, int padding) {
                return new CountingConv2d(name, inChannels, outChannels, kernel, padding);
            }
        };
        try (SafetensorsWeights weights = SafetensorsWeights.openComponent(FOLDER);
                UNet2DConditionModel variant = UNet2DConditionModel.load(unet.config(), counting,
                        WeightSource.of(weights), manager)) {
            long resnetConvs = variant.partNames().stream()
                    .filter(n -> n.matches(".*resnets\\.\\d+\\.(conv1|conv2|conv_shortcut)")).count();
            assertTrue(resnetConvs > 0);
            for (String name : variant.partNames()) {
                boolean resnetConv = name.matches(".*resnets\\.\\d+\\.(conv1|conv2|conv_shortcut)");
                assertEquals(resnetConv, variant.part(name) instanceof CountingConv2d, name);
            }
            assertInstanceOf(Conv2d.class, variant.part("conv_in"));
            assertEquals(unet.partNames(), variant.partNames());
            CountingConv2d.CALLS.set(0);
            NDArray out = variant.forward(sample, timestep, context, ForwardContext.DEFAULT);
            assertEquals(resnetConvs, CountingConv2d.CALLS.get(), "every resnet convolution once");
            assertArrayEquals(unet.forward(sample, timestep, context, ForwardContext.DEFAULT).toFloatArray(),
                    out.toFloatArray(), 0f);
        }
    }
}

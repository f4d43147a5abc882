package io.github.sdm.unet.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * What sdm reads from the exports' graph files itself: which inputs {@link TimestepWidening} declares float, and the
 * text encoder's layers ({@link AttentionLayers}).
 */
class GraphFileTest {

    @Test
    void optimumsInt64TimestepIsOnlyReshapedAndCastToFloat() throws IOException {
        ByteBuffer model = read(OnnxExports.optimum().resolve("unet/model.onnx"));
        OptionalInt offset = TimestepWidening.elementTypeOffset(model, "timestep");
        assertTrue(offset.isPresent(), "optimum's UNet: the int64 timestep feeds Expand, Unsqueeze, Cast(float)");
        assertEquals(7, model.get(offset.getAsInt()), "the byte to change holds INT64 (7)");
    }

    @Test
    void aFloatTimestepNeedsNothing() throws IOException {
        ByteBuffer model = read(OnnxExports.diffusersScript().resolve("unet/model.onnx"));
        assertTrue(TimestepWidening.elementTypeOffset(model, "timestep").isEmpty());
    }

    @Test
    void tokenIdsAreNotWidened() throws IOException {
        // the ids index the embedding table (Gather), which a float would break
        ByteBuffer model = read(OnnxExports.optimum().resolve("text_encoder/model.onnx"));
        assertTrue(TimestepWidening.elementTypeOffset(model, "input_ids").isEmpty());
    }

    @Test
    void anInputTheGraphDoesNotHaveIsNotWidened() throws IOException {
        ByteBuffer model = read(OnnxExports.optimum().resolve("unet/model.onnx"));
        assertTrue(TimestepWidening.elementTypeOffset(model, "no_such_input").isEmpty());
    }

    @Test
    void theTinyTextEncodersTwoLayersAreCountedFromTheGraph() {
        // models/tiny-sd/text_encoder/config.json: num_hidden_layers 2; the exports carry no config
        assertEquals(2, AttentionLayers.count(OnnxExports.optimum().resolve("text_encoder/model.onnx")));
        assertEquals(2, AttentionLayers.count(OnnxExports.diffusersScript().resolve("text_encoder/model.onnx")));
        assertEquals(0, AttentionLayers.count(OnnxExports.optimum().resolve("model_index.json")), "not a graph");
    }

    private static ByteBuffer read(Path file) throws IOException {
        return ByteBuffer.wrap(Files.readAllBytes(file));
    }
}

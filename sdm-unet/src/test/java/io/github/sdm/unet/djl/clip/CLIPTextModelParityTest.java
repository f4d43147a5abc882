package io.github.sdm.unet.djl.clip;

import static io.github.sdm.unet.Fixtures.assertClose;
import static io.github.sdm.unet.Fixtures.floats;
import static io.github.sdm.unet.Fixtures.longs;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import io.github.sdm.unet.djl.NetworkFixture;
import org.junit.jupiter.api.Test;

/** The tiny CLIP text encoder of {@code fixtures/text_encoder} against transformers' {@code last_hidden_state}. */
class CLIPTextModelParityTest extends NetworkFixture<CLIPTextModel> {
    CLIPTextModelParityTest() {
        super("text_encoder", CLIPTextModel::load);
    }

    @Test
    void encodesLikeTransformers() {
        try (NDManager m = manager.newSubManager()) {
            NDArray hidden = network.encode(longs(reference, "input_ids", m));
            assertClose(floats(reference, "last_hidden_state", m), hidden, "last_hidden_state");
        }
    }

    @Test
    void acceptsInt32Ids() {
        try (NDManager m = manager.newSubManager()) {
            NDArray ids = longs(reference, "input_ids", m).toType(DataType.INT32, false);
            assertClose(floats(reference, "last_hidden_state", m), network.encode(ids), "last_hidden_state");
        }
    }

    /** Causality: the first k positions of a prompt do not depend on what follows them. */
    @Test
    void shorterSequenceGivesThePrefixOfTheFullOutput() {
        try (NDManager m = manager.newSubManager()) {
            NDArray ids = longs(reference, "input_ids", m).get(new NDIndex(":, 0:10"));
            NDArray expected = floats(reference, "last_hidden_state", m).get(new NDIndex(":, 0:10, :"));
            assertClose(expected, network.encode(ids), "last_hidden_state of the first 10 tokens");
        }
    }
}

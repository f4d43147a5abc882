package io.github.sdm.unet.djl.clip;

import static io.github.sdm.unet.Fixtures.assertClose;
import static io.github.sdm.unet.Fixtures.floats;
import static io.github.sdm.unet.Fixtures.longs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.unet.djl.NetworkFixture;
import io.github.sdm.unet.djl.nn.ForwardContext;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pooled output and the hidden states of an earlier layer ("clip skip") of {@code fixtures/text_encoder}. */
class CLIPTextModelLayersTest extends NetworkFixture<CLIPTextModel> {
    CLIPTextModelLayersTest() {
        super("text_encoder", CLIPTextModel::load);
    }

    private static final long END_OF_TEXT = 49407;
    @Test
    void pooledIsTheLastHiddenStateAtTheFirstEndOfTextToken() {
        try (NDManager m = manager.newSubManager()) {
            NDArray ids = longs(reference, "input_ids", m);
            CLIPTextOutput out = network.encode(ids, 1, ForwardContext.DEFAULT);
            NDArray last = network.encode(ids);
            long[] flat = reference.longs("input_ids");
            int length = (int) ids.getShape().get(1);
            int batch = (int) ids.getShape().get(0);
            assertArrayEquals(new long[] {batch, network.config().hiddenSize()}, out.pooled().getShape().getShape());
            for (int b = 0; b < batch; b++) {
                int end = firstEndOfText(flat, b, length);
                assertArrayEquals(last.get(b, end).toFloatArray(), out.pooled().get(b).toFloatArray(),
                        "prompt " + b + ": the row of token " + end);
                assertClose(floats(reference, "last_hidden_state", m).get(new NDIndex("{}, {}", b, end)),
                        out.pooled().get(b), "pooled output of prompt " + b + " against transformers");
            }
        }
    }

    private int firstEndOfText(long[] ids, int row, int length) {
        for (int i = 0; i < length; i++) {
            if (ids[row * length + i] == END_OF_TEXT) {
                return i;
            }
        }
        throw new AssertionError("prompt " + row + " of the fixture has no end-of-text token");
    }

    @Test
    void clipSkipOneIsTheLastHiddenStateBitForBit() {
        try (NDManager m = manager.newSubManager()) {
            NDArray ids = longs(reference, "input_ids", m);
            assertArrayEquals(network.encode(ids).toFloatArray(),
                    network.encode(ids, 1, ForwardContext.DEFAULT).hiddenStates().toFloatArray());
        }
    }

    /** Clip skip 2: the output of the second-to-last layer through the final layer norm, pooled unchanged. */
    @Test
    void clipSkipTwoIsTheFinalLayerNormOfThePenultimateLayer() {
        int layers = network.config().numHiddenLayers();
        String penultimate = "text_model.encoder.layers." + (layers - 2);
        try (NDManager m = manager.newSubManager()) {
            NDArray ids = longs(reference, "input_ids", m);
            NDArray[] seen = new NDArray[1];
            ForwardContext observe = ForwardContext.of((name, inputs, compute) -> {
                NDList out = compute.apply(inputs);
                if (name.equals(penultimate)) {
                    seen[0] = out.head().duplicate();
                    seen[0].attach(m);
                }
                return out;
            });
            CLIPTextOutput full = network.encode(ids, 1, observe);
            NDArray expected = network.finalLayerNorm().forward(ForwardContext.DEFAULT.withManager(m), seen[0]);

            CLIPTextOutput skipped = network.encode(ids, 2, ForwardContext.DEFAULT);
            assertArrayEquals(expected.toFloatArray(), skipped.hiddenStates().toFloatArray());
            assertFalse(Arrays.equals(full.hiddenStates().toFloatArray(), skipped.hiddenStates().toFloatArray()),
                    "clip skip 2 must differ from the last layer");
            assertArrayEquals(full.pooled().toFloatArray(), skipped.pooled().toFloatArray(),
                    "the pooled output always comes from the last layer");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 3, 12})
    void clipSkipOutsideTheLayersIsRefusedNamingValueAndLayerCount(int clipSkip) {
        try (NDManager m = manager.newSubManager()) {
            NDArray ids = longs(reference, "input_ids", m);
            InvalidRequestException e = assertThrows(InvalidRequestException.class,
                    () -> network.encode(ids, clipSkip, ForwardContext.DEFAULT));
            assertTrue(e.getMessage().contains("got " + clipSkip), e.getMessage());
            assertTrue(e.getMessage().contains(network.config().numHiddenLayers() + " layers"), e.getMessage());
        }
    }
}

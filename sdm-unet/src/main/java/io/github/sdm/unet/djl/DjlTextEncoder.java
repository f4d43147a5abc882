package io.github.sdm.unet.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.core.spi.TextConditioning;
import io.github.sdm.core.spi.TextEncoderNetwork;
import io.github.sdm.unet.djl.clip.CLIPTextModel;
import io.github.sdm.unet.djl.clip.CLIPTextOutput;
import io.github.sdm.unet.djl.nn.ForwardContext;
import java.util.Map;

final class DjlTextEncoder implements TextEncoderNetwork {
    private final CLIPTextModel model;
    private final NDManager manager;
    private final ForwardContext context;

    DjlTextEncoder(CLIPTextModel model, NDManager manager, ForwardContext context) {
        this.model = model;
        this.manager = manager;
        this.context = context;
    }

    @Override
    public TextConditioning encode(long[][] inputIds, int clipSkip) {
        int batch = inputIds.length;
        int length = inputIds[0].length;
        long[] flat = new long[batch * length];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(inputIds[b], 0, flat, b * length, length);
        }
        try (NDManager call = manager.newSubManager()) {
            NDArray ids = call.create(flat, new Shape(batch, length));
            CLIPTextOutput out = model.encode(ids, clipSkip, context);
            return new TextConditioning(Tensors.toTensor(out.hiddenStates()), Tensors.toTensor(out.pooled()), Map.of());
        }
    }

    @Override
    public int numHiddenLayers() {
        return model.config().numHiddenLayers();
    }
}

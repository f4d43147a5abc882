package io.github.sdm.unet.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.core.spi.TextConditioning;
import io.github.sdm.core.spi.TextEncoderNetwork;
import io.github.sdm.unet.config.CLIPTextConfig;
import io.github.sdm.unet.djl.clip.CLIPTextModel;
import io.github.sdm.unet.djl.clip.CLIPTextOutput;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.core.spi.LoraSession;
import io.github.sdm.core.spi.SessionExtension;
import io.github.sdm.unet.djl.lora.LoraApplication;
import io.github.sdm.unet.djl.lora.LoraInterceptor;
import io.github.sdm.unet.lora.LoraNetwork;
import io.github.sdm.unet.lora.LoraTargets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** The CLIP text encoder; the model comes from {@code model} at each call (it may be released between stages). */
final class DjlTextEncoder implements TextEncoderNetwork {
    private final Supplier<CLIPTextModel> model;
    private final CLIPTextConfig config;
    private final NDManager manager;
    private final ForwardContext context;
    private final LoraTargets loraTargets;

    DjlTextEncoder(Supplier<CLIPTextModel> model, CLIPTextConfig config, NDManager manager, ForwardContext context,
            LoraTargets loraTargets) {
        this.model = model;
        this.config = config;
        this.manager = manager;
        this.context = context;
        this.loraTargets = loraTargets;
    }

    @Override
    public TextConditioning encode(long[][] inputIds, int clipSkip) {
        return encode(inputIds, clipSkip, context);
    }

    /** With a {@link LoraSession} among the extensions, its text encoder layers apply to this call only. */
    @Override
    public TextConditioning encode(long[][] inputIds, int clipSkip, List<SessionExtension> extensions) {
        Optional<LoraSession> lora = extensions.stream().filter(LoraSession.class::isInstance)
                .map(LoraSession.class::cast).findFirst();
        if (lora.isEmpty()) {
            return encode(inputIds, clipSkip, context);
        }
        Optional<LoraInterceptor> interceptor = LoraApplication.perGeneration(lora.get().adapters(), loraTargets,
                LoraNetwork.TEXT_ENCODER, model.get(), manager);
        if (interceptor.isEmpty()) {
            return encode(inputIds, clipSkip, context);
        }
        try (LoraInterceptor adapters = interceptor.get()) {
            return encode(inputIds, clipSkip, context.withOuterInterceptor(adapters));
        }
    }

    private TextConditioning encode(long[][] inputIds, int clipSkip, ForwardContext callContext) {
        int batch = inputIds.length;
        int length = inputIds[0].length;
        long[] flat = new long[batch * length];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(inputIds[b], 0, flat, b * length, length);
        }
        try (NDManager call = manager.newSubManager()) {
            NDArray ids = call.create(flat, new Shape(batch, length));
            CLIPTextOutput out = model.get().encode(ids, clipSkip, callContext);
            return new TextConditioning(Tensors.toTensor(out.hiddenStates()), Tensors.toTensor(out.pooled()), Map.of());
        }
    }

    @Override
    public int numHiddenLayers() {
        return config.numHiddenLayers();
    }
}

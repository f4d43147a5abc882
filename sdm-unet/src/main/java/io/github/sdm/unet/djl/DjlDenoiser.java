package io.github.sdm.unet.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.sdm.core.spi.DenoiserNetwork;
import io.github.sdm.core.spi.DenoiserSession;
import io.github.sdm.core.spi.DenoiserSessionOptions;
import io.github.sdm.core.spi.LoraSession;
import io.github.sdm.core.spi.SessionExtension;
import io.github.sdm.core.spi.TextConditioning;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.unet.config.UNetConfig;
import io.github.sdm.unet.djl.lora.LoraApplication;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.strategy.DenoisingStrategies;
import io.github.sdm.unet.djl.strategy.DenoisingStrategy;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;
import io.github.sdm.unet.lora.LoraNetwork;
import io.github.sdm.unet.lora.LoraTargets;
import java.util.List;
import java.util.function.Supplier;

/** The UNet; a session takes the model when it opens (it may be released between generations). */
final class DjlDenoiser implements DenoiserNetwork {
    private final Supplier<UNet2DConditionModel> model;
    private final UNetConfig config;
    private final NDManager manager;
    private final ForwardContext context;
    private final LoraTargets loraTargets;

    DjlDenoiser(Supplier<UNet2DConditionModel> model, UNetConfig config, NDManager manager, ForwardContext context,
            LoraTargets loraTargets) {
        this.model = model;
        this.config = config;
        this.manager = manager;
        this.context = context;
        this.loraTargets = loraTargets;
    }

    /**
     * A session; a {@link LoraSession} among the extensions becomes an outer interceptor on this session's
     * calls (the shared weights stay as they are), the other extensions pick the strategy.
     */
    @Override
    public DenoiserSession openSession(DenoiserSessionOptions options) {
        UNet2DConditionModel unet = model.get();
        NDManager sessionManager = manager.newSubManager();
        try {
            ForwardContext sessionContext = context;
            var lora = options.extension(LoraSession.class);
            if (lora.isPresent()) {
                var interceptor = LoraApplication.perGeneration(lora.get().adapters(), loraTargets,
                        LoraNetwork.UNET, unet, sessionManager);
                if (interceptor.isPresent()) {
                    sessionContext = context.withOuterInterceptor(interceptor.get());
                }
            }
            List<SessionExtension> others = options.extensions().stream()
                    .filter(e -> !(e instanceof LoraSession)).toList();
            DenoiserSessionOptions strategyOptions = new DenoiserSessionOptions(options.modelCalls(), others);
            return new Session(unet, sessionManager, DenoisingStrategies.forSession(strategyOptions, sessionManager),
                    sessionContext);
        } catch (RuntimeException e) {
            sessionManager.close();
            throw e;
        }
    }

    @Override
    public int inChannels() {
        return config.inChannels();
    }

    @Override
    public int sampleSize() {
        return config.sampleSize();
    }

    /**
     * One generation: the text context is converted once and kept until the session closes; the strategy
     * (plain or feature inheritance) holds the generation's caches.
     */
    private static final class Session implements DenoiserSession {
        private final UNet2DConditionModel model;
        private final NDManager sessionManager;
        private final DenoisingStrategy strategy;
        private final ForwardContext sessionContext;
        private TextConditioning lastConditioning;
        private NDArray contextArray;

        /** The LoRA interceptor's arrays, if any, live in {@code sessionManager} and go with it. */
        Session(UNet2DConditionModel model, NDManager sessionManager, DenoisingStrategy strategy,
                ForwardContext sessionContext) {
            this.model = model;
            this.sessionManager = sessionManager;
            this.strategy = strategy;
            this.sessionContext = sessionContext;
        }

        @Override
        public FloatTensor predict(FloatTensor sample, double timestep, int callIndex,
                TextConditioning conditioning) {
            // SD 1.x and 2.x UNets read the hidden states only; pooled and extras are for later families
            if (conditioning != lastConditioning) {
                if (contextArray != null) {
                    contextArray.close();
                }
                contextArray = Tensors.toArray(conditioning.hiddenStates(), sessionManager);
                lastConditioning = conditioning;
            }
            try (NDManager call = sessionManager.newSubManager()) {
                NDArray x = Tensors.toArray(sample, call);
                NDArray t = call.create((float) timestep);
                return Tensors.toTensor(strategy.predict(model, x, t, contextArray, callIndex, sessionContext));
            }
        }

        @Override
        public void close() {
            try {
                strategy.close();
            } finally {
                sessionManager.close();
            }
        }
    }
}

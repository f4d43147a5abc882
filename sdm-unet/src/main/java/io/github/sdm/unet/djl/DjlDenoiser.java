package io.github.sdm.unet.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.sdm.core.spi.DenoiserNetwork;
import io.github.sdm.core.spi.DenoiserSession;
import io.github.sdm.core.spi.DenoiserSessionOptions;
import io.github.sdm.core.spi.TextConditioning;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.strategy.DenoisingStrategies;
import io.github.sdm.unet.djl.strategy.DenoisingStrategy;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;

final class DjlDenoiser implements DenoiserNetwork {
    private final UNet2DConditionModel model;
    private final NDManager manager;
    private final ForwardContext context;

    DjlDenoiser(UNet2DConditionModel model, NDManager manager, ForwardContext context) {
        this.model = model;
        this.manager = manager;
        this.context = context;
    }

    @Override
    public DenoiserSession openSession(DenoiserSessionOptions options) {
        NDManager sessionManager = manager.newSubManager();
        try {
            return new Session(sessionManager, DenoisingStrategies.forSession(options, sessionManager));
        } catch (RuntimeException e) {
            sessionManager.close();
            throw e;
        }
    }

    @Override
    public int inChannels() {
        return model.config().inChannels();
    }

    @Override
    public int sampleSize() {
        return model.config().sampleSize();
    }

    /**
     * One generation: the text context is converted once and kept until the session closes; the strategy
     * (plain or feature inheritance) holds the generation's caches.
     */
    private final class Session implements DenoiserSession {
        private final NDManager sessionManager;
        private final DenoisingStrategy strategy;
        private TextConditioning lastConditioning;
        private NDArray contextArray;

        Session(NDManager sessionManager, DenoisingStrategy strategy) {
            this.sessionManager = sessionManager;
            this.strategy = strategy;
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
                return Tensors.toTensor(strategy.predict(model, x, t, contextArray, callIndex, context));
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

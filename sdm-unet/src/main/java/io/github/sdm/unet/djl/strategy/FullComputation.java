package io.github.sdm.unet.djl.strategy;

import ai.djl.ndarray.NDArray;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;

/** {@link DenoisingStrategy#FULL}: every call runs the whole UNet. */
final class FullComputation implements DenoisingStrategy {

    @Override
    public NDArray predict(UNet2DConditionModel unet, NDArray sample, NDArray timestep, NDArray context,
            int callIndex, ForwardContext ctx) {
        return unet.forward(sample, timestep, context, ctx);
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "FULL";
    }
}

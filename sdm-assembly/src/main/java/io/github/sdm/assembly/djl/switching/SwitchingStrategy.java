package io.github.sdm.assembly.djl.switching;

import ai.djl.ndarray.NDArray;
import io.github.sdm.assembly.switching.UNetCompatibility;
import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.strategy.DenoisingStrategy;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;

/**
 * One generation's calls split between the model's UNet and a second one. Each UNet has its own inner strategy
 * (plain, or feature inheritance with its own caches) that sees only its calls, renumbered from 0, as if it
 * ran a generation of just those.
 */
final class SwitchingStrategy implements DenoisingStrategy {
    private final LoadedUNet second;
    private final boolean[] onSecond;
    private final int[] localIndex;
    private final DenoisingStrategy firstStrategy;
    private final DenoisingStrategy secondStrategy;
    private boolean checked;

    SwitchingStrategy(LoadedUNet second, boolean[] onSecond, DenoisingStrategy firstStrategy,
            DenoisingStrategy secondStrategy) {
        this.second = second;
        this.onSecond = onSecond.clone();
        this.localIndex = new int[onSecond.length];
        int firstCount = 0;
        int secondCount = 0;
        for (int c = 0; c < onSecond.length; c++) {
            localIndex[c] = onSecond[c] ? secondCount++ : firstCount++;
        }
        this.firstStrategy = firstStrategy;
        this.secondStrategy = secondStrategy;
    }

    @Override
    public NDArray predict(UNet2DConditionModel unet, NDArray sample, NDArray timestep, NDArray context,
            int callIndex, ForwardContext ctx) {
        if (!checked) {
            try {
                UNetCompatibility.require(unet.config(), second.config(), second.folder().toString());
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException(e.getMessage());
            }
            checked = true;
        }
        return onSecond[callIndex]
                ? secondStrategy.predict(second.model(), sample, timestep, context, localIndex[callIndex], ctx)
                : firstStrategy.predict(unet, sample, timestep, context, localIndex[callIndex], ctx);
    }

    @Override
    public void close() {
        try {
            firstStrategy.close();
        } finally {
            secondStrategy.close();
        }
    }

    @Override
    public String toString() {
        return "switch(" + firstStrategy + ", " + secondStrategy + ")";
    }
}

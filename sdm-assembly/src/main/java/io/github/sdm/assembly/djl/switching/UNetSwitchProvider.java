package io.github.sdm.assembly.djl.switching;

import ai.djl.ndarray.NDManager;
import io.github.sdm.assembly.switching.UNetSwitch;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.spi.DenoiserSessionOptions;
import io.github.sdm.core.spi.SessionExtension;
import io.github.sdm.unet.djl.strategy.DenoisingStrategies;
import io.github.sdm.unet.djl.strategy.DenoisingStrategy;
import io.github.sdm.unet.djl.strategy.DenoisingStrategyProvider;
import java.util.List;
import java.util.Optional;

/**
 * Executes {@link UNetSwitch}: ranked before the other providers, it builds each UNet's strategy from the
 * generation's other extensions, so feature inheritance runs inside each UNet with separate caches.
 */
public final class UNetSwitchProvider implements DenoisingStrategyProvider {

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public boolean handles(SessionExtension extension) {
        return extension instanceof UNetSwitch;
    }

    @Override
    public Optional<DenoisingStrategy> create(DenoiserSessionOptions options, NDManager parentManager) {
        Optional<UNetSwitch> found = options.extension(UNetSwitch.class);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        UNetSwitch unetSwitch = found.get();
        if (!(unetSwitch.second() instanceof LoadedUNet second)) {
            throw new SdmException("unet switch: the second UNet (" + unetSwitch.second().getClass().getName()
                    + ") was not loaded by " + LoadedUNet.class.getName() + "; load it with LoadedUNet.load(folder)");
        }
        int calls = options.modelCalls();
        boolean[] onSecond = new boolean[calls];
        for (int c = 0; c < calls; c++) {
            onSecond[c] = unetSwitch.schedule().usesSecond(c, calls);
        }
        int secondCalls = unetSwitch.schedule().secondCalls(calls);
        List<SessionExtension> others = options.extensions().stream().filter(e -> !(e instanceof UNetSwitch)).toList();
        DenoisingStrategy first = DenoisingStrategies.forSession(
                new DenoiserSessionOptions(calls - secondCalls, others), parentManager);
        try {
            DenoisingStrategy secondStrategy = DenoisingStrategies.forSession(
                    new DenoiserSessionOptions(secondCalls, others), parentManager);
            return Optional.of(new SwitchingStrategy(second, onSecond, first, secondStrategy));
        } catch (RuntimeException e) {
            first.close();
            throw e;
        }
    }
}

package io.github.sdm.assembly.djl.train;

import ai.djl.ndarray.NDArray;
import io.github.sdm.unet.djl.nn.GradMode;
import io.github.sdm.unet.djl.nn.Network;
import io.github.sdm.unet.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The networks one stage trains, by component name ({@code vae}; {@code unet} and {@code text_encoder}):
 * their parameters under keys {@code <component>/<checkpoint key>}, the key space of the optimizer state, the
 * EMA and the checkpoints.
 */
public final class TrainedNetworks {
    private final Map<String, Network> networks;

    public TrainedNetworks(Map<String, ? extends Network> networks) {
        this.networks = new LinkedHashMap<>(networks);
        this.networks.values().forEach(Network::makeTrainable);
        // Gradients accumulate into the arrays makeTrainable attached; start them at zero explicitly rather than
        // rely on how the engine allocated them.
        this.networks.values().forEach(Network::zeroGradients);
    }

    public Map<String, Network> networks() {
        return networks;
    }

    /** Every parameter, keyed {@code <component>/<key>}, in a fixed order. */
    public Map<String, Parameter> parameters() {
        Map<String, Parameter> all = new LinkedHashMap<>();
        networks.forEach((component, network) -> network.allParameters()
                .forEach((key, p) -> all.put(component + "/" + key, p)));
        return all;
    }

    /** The norm of all gradients together, {@code sqrt(sum g^2)}, accumulated in double. */
    public double gradientNorm() {
        double[] sum = {0};
        GradMode.withoutRecording(() -> {
            for (Parameter p : parameters().values()) {
                try (NDArray g = p.value().getGradient(); NDArray squared = g.square(); NDArray s = squared.sum()) {
                    sum[0] += s.getFloat();
                }
            }
        });
        return Math.sqrt(sum[0]);
    }

    /** One AdamW step on every network (gradients then zeroed); the optimizer's step must have begun. */
    public void applyGradients(AdamW optimizer) {
        networks.forEach((component, network) -> network.applyGradients(
                (key, weight, gradient) -> optimizer.update(component + "/" + key, weight, gradient)));
    }
}

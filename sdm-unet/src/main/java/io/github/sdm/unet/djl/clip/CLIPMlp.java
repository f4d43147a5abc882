package io.github.sdm.unet.djl.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.github.sdm.unet.config.CLIPTextConfig;
import io.github.sdm.unet.djl.nn.Activations;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.Linear;
import io.github.sdm.unet.djl.nn.Part;

/** Hugging Face {@code CLIPMLP}: {@code fc2(act(fc1(x)))}. */
public final class CLIPMlp extends Part {
    private final Linear fc1;
    private final Linear fc2;
    private final CLIPTextConfig.Activation activation;

    public CLIPMlp(String name, int hidden, int intermediate, CLIPTextConfig.Activation activation) {
        super(name);
        this.activation = activation;
        fc1 = child(new Linear(key("fc1"), hidden, intermediate, true));
        fc2 = child(new Linear(key("fc2"), intermediate, hidden, true));
    }

    /** Inputs: {@code x [..., hidden]}. Output: same shape. */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        NDArray h = fc1.forward(ctx, inputs.head());
        h = switch (activation) {
            case QUICK_GELU -> Activations.quickGelu(h);
            case GELU -> Activations.gelu(h);
        };
        return new NDList(fc2.forward(ctx, h));
    }
}

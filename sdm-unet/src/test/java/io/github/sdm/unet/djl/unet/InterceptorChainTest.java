package io.github.sdm.unet.djl.unet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.PartInterceptor;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Interceptors stack: {@code outer.andThen(inner)} and {@link ForwardContext#withOuterInterceptor}. */
class InterceptorChainTest extends UNetFixtureCalls {
    /** Records "tag name" on entry, then computes. */
    private PartInterceptor recorder(String tag, List<String> log) {
        return (name, inputs, compute) -> {
            log.add(tag + " " + name);
            return compute.apply(inputs);
        };
    }

    @Test
    void bothInterceptorsSeeEveryPartOuterFirst() {
        List<String> log = new ArrayList<>();
        NDArray out = unet.forward(sample, timestep, context,
                ForwardContext.of(recorder("inner", log)).withOuterInterceptor(recorder("outer", log)));
        for (String name : unet.partNames()) {
            int outer = log.indexOf("outer " + name);
            int inner = log.indexOf("inner " + name);
            assertTrue(outer >= 0 && inner >= 0, "both see " + name);
            assertTrue(outer < inner, "the outer one first: " + name);
        }
        assertEquals(2 * unet.partNames().size(), log.size(), "each part once per interceptor");
        assertArrayEquals(unet.forward(sample, timestep, context, ForwardContext.DEFAULT).toFloatArray(),
                out.toFloatArray(), 0f);
    }

    @Test
    void theOuterOneSeesTheInnerOnesReplacement() {
        PartInterceptor zeroMid = (name, inputs, compute) -> name.equals("mid_block.attentions.0")
                ? new NDList(inputs.head().zerosLike()) : compute.apply(inputs);
        List<Float> seenByOuter = new ArrayList<>();
        PartInterceptor outer = (name, inputs, compute) -> {
            NDList result = compute.apply(inputs);
            if (name.equals("mid_block.attentions.0")) {
                seenByOuter.add(result.head().abs().sum().getFloat());
            }
            return result;
        };
        NDArray chained = unet.forward(sample, timestep, context, ForwardContext.of(outer.andThen(zeroMid)));
        assertEquals(List.of(0f), seenByOuter);
        NDArray innerAlone = unet.forward(sample, timestep, context, ForwardContext.of(zeroMid));
        assertArrayEquals(innerAlone.toFloatArray(), chained.toFloatArray(), 0f);
    }

    @Test
    void aPartTheOuterOneSkipsNeverReachesTheInnerOne() {
        String skipped = "down_blocks.0.attentions.0.transformer_blocks.0.attn1";
        PartInterceptor skip = (name, inputs, compute) -> name.equals(skipped) ? new NDList(inputs.head())
                : compute.apply(inputs);
        Set<String> innerSaw = new LinkedHashSet<>();
        unet.forward(sample, timestep, context, ForwardContext.of(skip.andThen((name, inputs, compute) -> {
            innerSaw.add(name);
            return compute.apply(inputs);
        })));
        assertFalse(innerSaw.contains(skipped));
        assertFalse(innerSaw.contains(skipped + ".to_q"));
        assertTrue(innerSaw.contains("down_blocks.0.attentions.0.transformer_blocks.0.attn2"));
    }

    @Test
    void noneIsTheIdentityOfTheChain() {
        PartInterceptor p = (name, inputs, compute) -> compute.apply(inputs);
        assertSame(p, p.andThen(PartInterceptor.NONE));
        assertSame(p, PartInterceptor.NONE.andThen(p));
    }
}

package io.github.sdm.unet.djl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * A named piece of a network. Its name is the full checkpoint key prefix (for example
 * {@code down_blocks.1.attentions.0.transformer_blocks.0.attn2}), so its parameters are
 * {@code name + "." + local}, and the interceptor in {@link ForwardContext} can address it.
 *
 * <p>Callers use a part's typed methods (for example {@code resnet.forward(ctx, hidden, temb)} or
 * {@code downBlock.forward(ctx, hidden, temb, context)}, returning a {@code DownBlockOutput}). Underneath,
 * every call crosses one boundary, {@link #forward(ForwardContext, NDList)}, where inputs and outputs are
 * an {@link NDList} in the order the subclass documents: that is what a {@link PartInterceptor} sees, and
 * what runs a part alone by name. Subclasses implement {@link #compute} (unpacking into their typed
 * computation); single-input layers are called with {@link #forward(ForwardContext, NDArray...)}.
 */
public abstract class Part {
    private final String name;
    private final List<Part> children = new ArrayList<>();
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();

    protected Part(String name) {
        this.name = name;
    }

    /** The full key prefix; empty for a root. */
    public final String name() {
        return name;
    }

    public final List<Part> children() {
        return Collections.unmodifiableList(children);
    }

    /** This part's own parameters (not its children's), by full key. */
    public final Map<String, Parameter> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /**
     * Runs this part through the context's interceptor. A composite part computes inside its own
     * sub-manager, so its temporaries are freed as soon as it returns; its outputs are attached to the
     * context's manager (or, outside a pass, to the manager of the first input).
     */
    public final NDList forward(ForwardContext ctx, NDList inputs) {
        return forward(ctx, inputs, this::compute);
    }

    /**
     * The interceptor boundary with another computation under this part's name (for example the UNet's
     * pass with a {@code DeepBranchHook}): intercepted and scoped like {@link #compute}.
     */
    protected final NDList forward(ForwardContext ctx, NDList inputs,
            BiFunction<ForwardContext, NDList, NDList> computation) {
        return ctx.around(this, inputs, in -> run(ctx, in, computation));
    }

    /** Runs this part through the context's interceptor and returns its first output. */
    public final NDArray forward(ForwardContext ctx, NDArray... inputs) {
        return forward(ctx, new NDList(inputs)).head();
    }

    /** This part's own computation, without interception of itself (children are intercepted). */
    protected abstract NDList compute(ForwardContext ctx, NDList inputs);

    /**
     * Whether {@link #compute} leaves temporaries behind and so runs in its own scope. Single-op layers
     * return false to spare the scope's cost.
     */
    protected boolean scopesTemporaries() {
        return true;
    }

    private NDList run(ForwardContext ctx, NDList inputs, BiFunction<ForwardContext, NDList, NDList> computation) {
        if (!ctx.evictsWeightPages()) {
            return runScoped(ctx, inputs, computation);
        }
        try {
            return runScoped(ctx, inputs, computation);
        } finally {
            // weight paging: this part's own weights leave the resident set until its next call
            for (Parameter p : parameters.values()) {
                p.evictPages();
            }
        }
    }

    private NDList runScoped(ForwardContext ctx, NDList inputs,
            BiFunction<ForwardContext, NDList, NDList> computation) {
        if (ctx.manager() == null) {
            GradMode.ensure(ctx.isTraining());
        }
        if (!scopesTemporaries()) {
            return computation.apply(ctx, inputs);
        }
        NDManager parent = ctx.manager() != null ? ctx.manager() : inputs.head().getManager();
        try (NDManager scope = parent.newSubManager()) {
            ForwardContext.tempAttach(scope, inputs);
            NDList out = computation.apply(ctx.withManager(scope), inputs);
            for (NDArray array : out) {
                array.attach(parent);
            }
            return out;
        }
    }

    /**
     * Called whenever the parameters' arrays were set or their values changed (loaded, made trainable,
     * updated by an optimizer step), to derive views of weights used per call by inference passes; an
     * override frees the views it derived before. Training passes read the weights themselves.
     */
    protected void onWeightsLoaded() {
    }

    /** Lets every part of the tree under {@code root} derive its weight views anew. */
    static void weightsChanged(Part root) {
        for (Part part : root.walk()) {
            part.onWeightsLoaded();
        }
    }

    /** The key of a child or parameter named {@code local} under this part. */
    protected final String key(String local) {
        return name.isEmpty() ? local : name + "." + local;
    }

    protected final <P extends Part> P child(P part) {
        children.add(part);
        return part;
    }

    protected final Parameter parameter(String local, Parameter.Init init, long fanIn, long... shape) {
        Parameter p = new Parameter(key(local), shape, init, fanIn);
        parameters.put(p.key(), p);
        return p;
    }

    /** This part and all its descendants, depth first, parents before children. */
    public final List<Part> walk() {
        List<Part> out = new ArrayList<>();
        collect(this, out);
        return out;
    }

    private static void collect(Part part, List<Part> out) {
        out.add(part);
        for (Part c : part.children) {
            collect(c, out);
        }
    }

    /** Every parameter of this part and its descendants, by full key. */
    public final Map<String, Parameter> allParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (Part p : walk()) {
            out.putAll(p.parameters);
        }
        return out;
    }

    /** The descendant (or this part) with the given full name. */
    public final Optional<Part> find(String fullName) {
        for (Part p : walk()) {
            if (p.name.equals(fullName)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + name + ")";
    }
}

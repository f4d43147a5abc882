package io.github.sdm.unet.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.core.ModelFormatException;
import io.github.sdm.unet.nn.Activations;
import io.github.sdm.unet.nn.Conv2d;
import io.github.sdm.unet.nn.ForwardContext;
import io.github.sdm.unet.nn.GroupNorm;
import io.github.sdm.unet.nn.InputShapeException;
import io.github.sdm.unet.nn.Network;
import io.github.sdm.unet.nn.Part;
import io.github.sdm.unet.nn.WeightSource;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * diffusers' {@code UNet2DConditionModel} (0.27.2 semantics) for Stable Diffusion 1.x / 2.x: time
 * embedding, {@code conv_in}, down blocks, mid block, up blocks fed by the skip connections, and the
 * output head {@code conv_norm_out, SiLU, conv_out}. Every part is named by its checkpoint key prefix (see
 * {@link #part(String)}, {@link #partNames()}); the root's name is empty.
 *
 * <p>Beyond the plain {@link #forward(NDArray, NDArray, NDArray, ForwardContext)}, the pass is exposed
 * as public steps ({@link #embedTime}, {@link #stem}, {@link DownBlock#layer}, {@link MidBlock},
 * {@link UpBlock#layer}, {@link #head}) and as a split at a <em>shallow depth</em> {@code k}, for
 * DeepCache-style reuse: the shallow part is {@code conv_in}, the down layers producing the first
 * {@code k} skip connections (conv_in's output is skip 0), the last {@code k} up layers that consume them,
 * and the head. {@link #forwardCachingDeep} runs everything and returns the deep feature, the hidden state
 * the shallow up layers receive; {@link #forwardShallow} runs only the shallow part on a given deep
 * feature.
 *
 * <p>Owns its weights (in a sub-manager of the manager given at load); {@link #close()} frees them.
 */
public final class UNet2DConditionModel extends Network {
    public static final String CONFIG_FILE = "config.json";
    public static final String WEIGHTS_FILE = "diffusion_pytorch_model.safetensors";

    private final UNetConfig config;
    private final TimestepProjection timeProj;
    private final TimestepEmbedding timeEmbedding;
    private final Conv2d convIn;
    private final List<DownBlock> downBlocks = new ArrayList<>();
    private final MidBlock midBlock;
    private final List<UpBlock> upBlocks = new ArrayList<>();
    private final GroupNorm convNormOut;
    private final Conv2d convOut;
    private final Map<String, Part> partsByName = new LinkedHashMap<>();
    private final int skipCount;

    /** The part tree of {@code config}, without weights (see the static factories). */
    public UNet2DConditionModel(UNetConfig config) {
        if (!config.hasMidBlock()) {
            throw new ModelFormatException("UNet config: mid_block_type null (a UNet without mid block) is not"
                    + " supported yet");
        }
        this.config = config;
        List<Integer> channels = config.blockOutChannels();
        int blocks = config.blockCount();
        int c0 = channels.get(0);
        int temb = config.timeEmbeddingDim();
        int groups = config.normNumGroups();
        double eps = config.normEps();

        timeProj = child(new TimestepProjection("time_proj", c0, config.flipSinToCos(), config.freqShift()));
        timeEmbedding = child(new TimestepEmbedding("time_embedding", c0, temb));
        convIn = child(new Conv2d("conv_in", config.inChannels(), c0, config.convInKernel(), 1,
                (config.convInKernel() - 1) / 2));

        Deque<Integer> skipChannels = new ArrayDeque<>();
        skipChannels.push(c0);
        int out = c0;
        for (int i = 0; i < blocks; i++) {
            int in = out;
            out = channels.get(i);
            boolean last = i == blocks - 1;
            String type = config.downBlockTypes().get(i);
            DownBlock block = child(new DownBlock("down_blocks." + i, type, in, out, config.layersPerBlock().get(i),
                    temb, groups, eps, type.equals(UNetConfig.CROSS_ATTN_DOWN), headsFor(i, out),
                    config.transformerLayersPerBlock().get(i), config.crossAttentionDim().get(i),
                    config.useLinearProjection(), !last));
            downBlocks.add(block);
            for (int j = 0; j < block.outputCount(); j++) {
                skipChannels.push(out);
            }
        }
        skipCount = skipChannels.size();

        int deepest = blocks - 1;
        midBlock = child(new MidBlock("mid_block", channels.get(deepest), temb, groups, eps,
                config.midBlockScaleFactor(), headsFor(deepest, channels.get(deepest)),
                config.transformerLayersPerBlock().get(deepest), config.crossAttentionDim().get(deepest),
                config.useLinearProjection()));

        int prev = channels.get(deepest);
        for (int i = 0; i < blocks; i++) {
            int level = blocks - 1 - i;
            int outCh = channels.get(level);
            int layers = config.layersPerBlock().get(level) + 1;
            int[] skips = new int[layers];
            for (int j = 0; j < layers; j++) {
                if (skipChannels.isEmpty()) {
                    throw new ModelFormatException("UNet config: up_blocks." + i
                            + " needs more skip connections than the down blocks produce; check layers_per_block");
                }
                skips[j] = skipChannels.pop();
            }
            String type = config.upBlockTypes().get(i);
            upBlocks.add(child(new UpBlock("up_blocks." + i, type, prev, outCh, skips, temb, groups, eps,
                    type.equals(UNetConfig.CROSS_ATTN_UP), headsFor(level, outCh),
                    config.transformerLayersPerBlock().get(level), config.crossAttentionDim().get(level),
                    config.useLinearProjection(), i < blocks - 1)));
            prev = outCh;
        }
        convNormOut = child(new GroupNorm("conv_norm_out", groups, c0, eps));
        convOut = child(new Conv2d("conv_out", c0, config.outChannels(), config.convOutKernel(), 1,
                (config.convOutKernel() - 1) / 2));
        for (Part p : walk()) {
            partsByName.put(p.name(), p);
        }
    }

    private int headsFor(int level, int channels) {
        int heads = config.attentionHeads().get(level);
        if (channels % heads != 0) {
            throw new ModelFormatException("UNet config: attention_head_dim/num_attention_heads " + heads
                    + " (heads of block " + level + ") does not divide its " + channels + " channels");
        }
        return heads;
    }

    /** Reads {@code config.json} and {@code diffusion_pytorch_model.safetensors} of a diffusers UNet folder. */
    public static UNet2DConditionModel load(Path componentFolder, NDManager manager) {
        UNetConfig config = UNetConfig.read(componentFolder.resolve(CONFIG_FILE));
        return fromComponentFolder(componentFolder, weights -> load(config, weights, manager));
    }

    /** Builds {@code config}'s UNet with weights from any source (e.g. a renamed single-file checkpoint). */
    public static UNet2DConditionModel load(UNetConfig config, WeightSource weights, NDManager manager) {
        return withWeights(new UNet2DConditionModel(config), weights, manager);
    }

    /** Builds {@code config}'s UNet with seeded random weights, for timing without a checkpoint. */
    public static UNet2DConditionModel random(UNetConfig config, long seed, NDManager manager) {
        return withRandomWeights(new UNet2DConditionModel(config), seed, manager);
    }

    public UNetConfig config() {
        return config;
    }

    public TimestepProjection timeProj() {
        return timeProj;
    }

    public TimestepEmbedding timeEmbedding() {
        return timeEmbedding;
    }

    public Conv2d convIn() {
        return convIn;
    }

    public List<DownBlock> downBlocks() {
        return Collections.unmodifiableList(downBlocks);
    }

    public MidBlock midBlock() {
        return midBlock;
    }

    public List<UpBlock> upBlocks() {
        return Collections.unmodifiableList(upBlocks);
    }

    public GroupNorm convNormOut() {
        return convNormOut;
    }

    public Conv2d convOut() {
        return convOut;
    }

    /** The part with this checkpoint key prefix, e.g. {@code up_blocks.1.attentions.2.transformer_blocks.0.attn2}. */
    public Part part(String name) {
        Part p = partsByName.get(name);
        if (p == null) {
            throw new IllegalArgumentException("UNet has no part named '" + name + "' (see partNames())");
        }
        return p;
    }

    /** Every part's name, parents before children (the root's empty name first). */
    public List<String> partNames() {
        return List.copyOf(partsByName.keySet());
    }

    /** Skip connections of a full pass: conv_in's output plus one per down layer and downsampler. */
    public int skipCount() {
        return skipCount;
    }

    /**
     * The UNet's noise (or v) prediction.
     *
     * @param sample latents {@code [B, in_channels, H, W]}, H and W multiples of {@code 2^(blocks-1)}
     * @param timestep a scalar or {@code [B]}, any numeric type, fractional values allowed
     * @param encoderHiddenStates text embedding {@code [B, M, cross_attention_dim]}
     * @return {@code [B, out_channels, H, W]}, attached to the manager of {@code sample}
     */
    public NDArray forward(NDArray sample, NDArray timestep, NDArray encoderHiddenStates, ForwardContext ctx) {
        checkInputs(sample, timestep, encoderHiddenStates);
        return ctx.scoped(sample.getManager(), new NDList(sample, timestep, encoderHiddenStates),
                c -> forward(c, new NDList(sample, timestep, encoderHiddenStates))).head();
    }

    /** {@link #forward(NDArray, NDArray, NDArray, ForwardContext)} plus every block's hidden state. */
    public UNetActivations forwardWithActivations(NDArray sample, NDArray timestep, NDArray encoderHiddenStates,
            ForwardContext ctx) {
        checkInputs(sample, timestep, encoderHiddenStates);
        Map<String, NDArray> acts = new LinkedHashMap<>();
        NDList out = ctx.scoped(sample.getManager(), new NDList(sample, timestep, encoderHiddenStates), c -> {
            NDList result = new NDList(run(c, sample, timestep, encoderHiddenStates, acts));
            acts.values().forEach(result::add);
            return result;
        });
        Map<String, NDArray> attached = new LinkedHashMap<>();
        int i = 1;
        for (String key : acts.keySet()) {
            attached.put(key, out.get(i++));
        }
        return new UNetActivations(out.head(), attached);
    }

    /**
     * A full pass that also returns the deep feature for shallow depth {@code shallowSkips} (1 to
     * {@link #skipCount()}), both attached to the manager of {@code sample}.
     */
    public CachedForward forwardCachingDeep(NDArray sample, NDArray timestep, NDArray encoderHiddenStates,
            int shallowSkips, ForwardContext ctx) {
        checkInputs(sample, timestep, encoderHiddenStates);
        checkDepth(shallowSkips);
        NDList out = ctx.scoped(sample.getManager(), new NDList(sample, timestep, encoderHiddenStates),
                c -> runSplit(c, sample, timestep, encoderHiddenStates, shallowSkips, null));
        return new CachedForward(out.get(0), out.get(1));
    }

    /**
     * Only the shallow part at depth {@code shallowSkips}: the deep down layers, the mid block and the deep
     * up layers are replaced by {@code deepFeature} (from {@link #forwardCachingDeep} at an earlier step).
     */
    public NDArray forwardShallow(NDArray sample, NDArray timestep, NDArray encoderHiddenStates,
            NDArray deepFeature, int shallowSkips, ForwardContext ctx) {
        checkInputs(sample, timestep, encoderHiddenStates);
        checkDepth(shallowSkips);
        return ctx.scoped(sample.getManager(), new NDList(sample, timestep, encoderHiddenStates, deepFeature),
                c -> runSplit(c, sample, timestep, encoderHiddenStates, shallowSkips, deepFeature)).head();
    }

    /** The time embedding {@code [B, time_embed_dim]}: {@code time_proj} then {@code time_embedding}. */
    public NDArray embedTime(ForwardContext ctx, NDArray timestep, long batch) {
        NDArray t = timestep.getShape().size() == batch && timestep.getShape().dimension() == 1 ? timestep
                : timestep.reshape(1).broadcast(batch);
        return timeEmbedding.forward(ctx, timeProj.forward(ctx, t));
    }

    /** {@code center_input_sample} (if configured) then {@code conv_in}: skip connection 0. */
    public NDArray stem(ForwardContext ctx, NDArray sample) {
        NDArray x = config.centerInputSample() ? sample.mul(2f).sub(1f) : sample;
        return convIn.forward(ctx, x);
    }

    /** {@code conv_norm_out}, SiLU, {@code conv_out}. */
    public NDArray head(ForwardContext ctx, NDArray hidden) {
        return convOut.forward(ctx, Activations.silu(convNormOut.forward(ctx, hidden)));
    }

    /** Inputs: {@code sample}, {@code timestep}, {@code encoder_hidden_states}. Output: the prediction. */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        return new NDList(run(ctx, inputs.get(0), inputs.get(1), inputs.get(2), null));
    }

    /** The full pass through the block parts (so block-level interception applies). */
    private NDArray run(ForwardContext ctx, NDArray sample, NDArray timestep, NDArray context,
            Map<String, NDArray> activations) {
        NDArray temb = embedTime(ctx, timestep, sample.getShape().get(0));
        NDArray h = stem(ctx, sample);
        List<NDArray> skips = new ArrayList<>();
        skips.add(h);
        for (DownBlock block : downBlocks) {
            NDList outs = block.forward(ctx, new NDList(h, temb, context));
            skips.addAll(outs);
            h = outs.get(outs.size() - 1);
            record(activations, block.name(), h);
        }
        h = midBlock.forward(ctx, h, temb, context);
        record(activations, midBlock.name(), h);
        for (UpBlock block : upBlocks) {
            NDList in = new NDList(h, temb, context);
            for (int j = 0; j < block.layerCount(); j++) {
                in.add(skips.remove(skips.size() - 1));
            }
            h = block.forward(ctx, in).head();
            record(activations, block.name(), h);
        }
        return head(ctx, h);
    }

    private static void record(Map<String, NDArray> activations, String name, NDArray h) {
        if (activations != null) {
            activations.put(name, h);
        }
    }

    /**
     * The pass at layer granularity, split at shallow depth {@code k}. With {@code deepFeature} null it
     * runs everything and returns {@code [output, deep feature]}; otherwise it skips the deep part and
     * returns {@code [output]}.
     */
    private NDList runSplit(ForwardContext ctx, NDArray sample, NDArray timestep, NDArray context, int k,
            NDArray deepFeature) {
        boolean shallowOnly = deepFeature != null;
        NDArray temb = embedTime(ctx, timestep, sample.getShape().get(0));
        NDArray h = stem(ctx, sample);
        List<NDArray> skips = new ArrayList<>();
        skips.add(h);
        down:
        for (DownBlock block : downBlocks) {
            for (int j = 0; j < block.outputCount(); j++) {
                if (shallowOnly && skips.size() == k) {
                    break down;
                }
                h = j < block.layerCount() ? block.layer(ctx, j, h, temb, context) : block.downsample(ctx, h);
                skips.add(h);
            }
        }
        if (!shallowOnly) {
            h = midBlock.forward(ctx, h, temb, context);
        }
        NDArray captured = null;
        int upLayer = 0;
        int firstShallow = skipCount - k;
        for (UpBlock block : upBlocks) {
            for (int j = 0; j < block.layerCount(); j++, upLayer++) {
                if (upLayer == firstShallow) {
                    if (shallowOnly) {
                        h = deepFeature;
                    } else {
                        captured = h;
                    }
                }
                if (shallowOnly && upLayer < firstShallow) {
                    continue;
                }
                h = block.layer(ctx, j, h, skips.get(skipCount - 1 - upLayer), temb, context);
            }
            if (!block.upsamplers().isEmpty() && !(shallowOnly && upLayer <= firstShallow)) {
                h = block.upsample(ctx, h);
            }
        }
        NDArray out = head(ctx, h);
        return shallowOnly ? new NDList(out) : new NDList(out, captured);
    }

    private void checkDepth(int shallowSkips) {
        if (shallowSkips < 1 || shallowSkips > skipCount) {
            throw new IllegalArgumentException("shallow depth must be 1.." + skipCount + ", got " + shallowSkips);
        }
    }

    private void checkInputs(NDArray sample, NDArray timestep, NDArray context) {
        Shape s = sample.getShape();
        int factor = 1 << (config.blockCount() - 1);
        if (s.dimension() != 4 || s.get(1) != config.inChannels()) {
            throw new InputShapeException("UNet sample must be [B, " + config.inChannels() + ", H, W], got " + s);
        }
        if (s.get(2) % factor != 0 || s.get(3) % factor != 0) {
            throw new InputShapeException("UNet sample height and width must be multiples of " + factor
                    + " (one halving per down block), got " + s);
        }
        long batch = s.get(0);
        long steps = timestep.getShape().size();
        if (steps != 1 && !(timestep.getShape().dimension() == 1 && steps == batch)) {
            throw new InputShapeException("UNet timestep must be a scalar or [" + batch + "], got "
                    + timestep.getShape());
        }
        Shape c = context.getShape();
        int crossDim = config.crossAttentionDim().get(0);
        if (c.dimension() != 3 || c.get(0) != batch || c.get(2) != crossDim) {
            throw new InputShapeException("UNet encoder_hidden_states must be [" + batch + ", M, " + crossDim
                    + "], got " + c);
        }
    }
}

package io.github.sdm.assembly.students;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.sdm.unet.config.UNetConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which of a teacher's layers a student keeps, by the teacher's indices, and how the teacher's weight keys map
 * to the student's. Up block {@code u} mirrors down block {@code n-1-u} and, as diffusers builds it, has one
 * layer more; a spec that removes down layers of a stage but no up layers of its mirror removes as many up
 * layers there, from the second on (as BK-SDM does).
 *
 * @param teacher the teacher's config
 * @param downBlocks per student down block, the teacher's block index
 * @param keptDown per student down block, the teacher's layer indices kept
 * @param upBlocks per student up block, the teacher's block index
 * @param keptUp per student up block, the teacher's layer indices kept
 * @param midBlock whether the student has a mid block
 */
public record StudentPlan(UNetConfig teacher, List<Integer> downBlocks, List<List<Integer>> keptDown,
                          List<Integer> upBlocks, List<List<Integer>> keptUp, boolean midBlock) {

    private static final Pattern BLOCK_KEY =
            Pattern.compile("(down_blocks|up_blocks)\\.(\\d+)\\.(resnets|attentions|downsamplers|upsamplers)\\.(\\d+)(\\..*)");
    /** Config lists with one entry per down block. */
    private static final List<String> PER_DOWN_BLOCK = List.of("block_out_channels", "down_block_types",
            "layers_per_block", "attention_head_dim", "num_attention_heads", "cross_attention_dim",
            "transformer_layers_per_block", "only_cross_attention");

    public StudentPlan {
        downBlocks = List.copyOf(downBlocks);
        keptDown = keptDown.stream().map(List::copyOf).toList();
        upBlocks = List.copyOf(upBlocks);
        keptUp = keptUp.stream().map(List::copyOf).toList();
    }

    /** The plan of {@code spec} on {@code teacher}; a spec naming a layer that does not exist is refused. */
    public static StudentPlan of(UNetConfig teacher, RemovalSpec spec) {
        int n = teacher.blockCount();
        if (spec.mid() && !teacher.hasMidBlock()) {
            throw new IllegalArgumentException("removal 'mid': the teacher has no mid block");
        }
        if (spec.innermost() && n < 2) {
            throw new IllegalArgumentException("removal 'innermost': the teacher has only " + n + " stage");
        }
        for (RemovalSpec.BlockLayer l : spec.downLayers()) {
            check("down_blocks." + l, l.block(), n, l.layer(), teacher.layersPerBlock().get(Math.min(l.block(), n - 1)));
            if (spec.innermost() && l.block() == n - 1) {
                throw new IllegalArgumentException("removal 'down_blocks." + l + "': 'innermost' removes that block whole");
            }
        }
        for (RemovalSpec.BlockLayer l : spec.upLayers()) {
            int mirror = n - 1 - Math.min(l.block(), n - 1);
            check("up_blocks." + l, l.block(), n, l.layer(), teacher.layersPerBlock().get(mirror) + 1);
            if (spec.innermost() && l.block() == 0) {
                throw new IllegalArgumentException("removal 'up_blocks." + l + "': 'innermost' removes that block whole");
            }
        }
        int stages = spec.innermost() ? n - 1 : n;
        List<Integer> downBlocks = new ArrayList<>();
        List<List<Integer>> keptDown = new ArrayList<>();
        for (int b = 0; b < stages; b++) {
            List<Integer> kept = kept(teacher.layersPerBlock().get(b), spec.downLayers(), b);
            if (kept.isEmpty()) {
                throw new IllegalArgumentException("removal spec removes every layer of down_blocks." + b
                        + "; a stage keeps at least one (use 'innermost' to remove the innermost stage)");
            }
            downBlocks.add(b);
            keptDown.add(kept);
        }
        List<Integer> upBlocks = new ArrayList<>();
        List<List<Integer>> keptUp = new ArrayList<>();
        for (int u = n - stages; u < n; u++) {
            int mirror = n - 1 - u;
            int layers = teacher.layersPerBlock().get(mirror) + 1;
            List<Integer> kept = kept(layers, spec.upLayers(), u);
            int wanted = keptDown.get(mirror).size() + 1;
            if (kept.size() == layers) {
                kept = new ArrayList<>(kept);
                while (kept.size() > wanted) {
                    kept.remove(1); // pair the down removals: the second layer on, as BK-SDM
                }
            }
            if (kept.size() != wanted) {
                throw new IllegalArgumentException("removal spec: down_blocks." + mirror + " keeps "
                        + keptDown.get(mirror).size() + " layer(s), so its mirror up_blocks." + u + " must keep "
                        + wanted + ", but keeps " + kept.size());
            }
            upBlocks.add(u);
            keptUp.add(kept);
        }
        return new StudentPlan(teacher, downBlocks, keptDown, upBlocks, keptUp, teacher.hasMidBlock() && !spec.mid());
    }

    private static void check(String part, int block, int blocks, int layer, int layers) {
        if (block >= blocks) {
            throw new IllegalArgumentException("removal '" + part + "': the teacher has " + blocks + " blocks");
        }
        if (layer >= layers) {
            throw new IllegalArgumentException("removal '" + part + "': the block has " + layers + " layers");
        }
    }

    private static List<Integer> kept(int layers, java.util.Set<RemovalSpec.BlockLayer> removed, int block) {
        List<Integer> kept = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            if (!removed.contains(new RemovalSpec.BlockLayer(block, l))) {
                kept.add(l);
            }
        }
        return kept;
    }

    /** The student's layers per down block (its {@code layers_per_block}). */
    public List<Integer> layersPerBlock() {
        return keptDown.stream().map(List::size).toList();
    }

    /**
     * The student's name of teacher weight {@code teacherKey}, or empty when the student drops it (a removed
     * layer, stage or mid block, or the downsampler of what becomes the last down block).
     */
    public Optional<String> studentKey(String teacherKey) {
        if (teacherKey.startsWith("mid_block.")) {
            return midBlock ? Optional.of(teacherKey) : Optional.empty();
        }
        Matcher m = BLOCK_KEY.matcher(teacherKey);
        if (!m.matches()) {
            return Optional.of(teacherKey);
        }
        boolean down = m.group(1).equals("down_blocks");
        int block = Integer.parseInt(m.group(2));
        String kind = m.group(3);
        int index = Integer.parseInt(m.group(4));
        int studentBlock = (down ? downBlocks : upBlocks).indexOf(block);
        if (studentBlock < 0) {
            return Optional.empty();
        }
        String prefix = m.group(1) + "." + studentBlock + "." + kind + ".";
        if (kind.equals("downsamplers")) {
            return studentBlock == downBlocks.size() - 1 ? Optional.empty() : Optional.of(prefix + index + m.group(5));
        }
        if (kind.equals("upsamplers")) {
            return Optional.of(prefix + index + m.group(5));
        }
        int studentLayer = (down ? keptDown : keptUp).get(studentBlock).indexOf(index);
        return studentLayer < 0 ? Optional.empty() : Optional.of(prefix + studentLayer + m.group(5));
    }

    /** The teacher's {@code config.json} text rewritten for the student, as diffusers reads it. */
    public String studentConfigJson(String teacherConfigJson) {
        JsonObject config = JsonParser.parseString(teacherConfigJson).getAsJsonObject();
        int n = teacher.blockCount();
        if (downBlocks.size() < n) {
            for (String key : PER_DOWN_BLOCK) {
                dropEntry(config, key, n, n - 1);
            }
            dropEntry(config, "up_block_types", n, 0);
        }
        JsonArray layers = new JsonArray();
        layersPerBlock().forEach(layers::add);
        config.add("layers_per_block", layers);
        if (!midBlock) {
            config.add("mid_block_type", JsonNull.INSTANCE);
        }
        Gson gson = new GsonBuilder().setPrettyPrinting().serializeNulls().create();
        return gson.toJson(config) + "\n";
    }

    private static void dropEntry(JsonObject config, String key, int length, int index) {
        JsonElement value = config.get(key);
        if (value != null && value.isJsonArray() && value.getAsJsonArray().size() == length) {
            value.getAsJsonArray().remove(index);
        }
    }

    /**
     * Per student resnet, the input channels diffusers gives it (the previous layer's output plus, in up blocks,
     * the skip connection it meets), with the teacher resnet it inherits from: their {@code conv1} must agree.
     */
    public List<ResnetInput> resnetInputs() {
        List<Integer> out = new ArrayList<>();
        downBlocks.forEach(b -> out.add(teacher.blockOutChannels().get(b)));
        List<ResnetInput> inputs = new ArrayList<>();
        for (int b = 0; b < downBlocks.size(); b++) {
            int in = b == 0 ? out.get(0) : out.get(b - 1);
            for (int l = 0; l < keptDown.get(b).size(); l++) {
                inputs.add(new ResnetInput("down_blocks." + b + ".resnets." + l,
                        "down_blocks." + downBlocks.get(b) + ".resnets." + keptDown.get(b).get(l),
                        l == 0 ? in : out.get(b)));
            }
        }
        List<Integer> reversed = new ArrayList<>(out);
        java.util.Collections.reverse(reversed);
        int outChannel = reversed.get(0);
        for (int u = 0; u < upBlocks.size(); u++) {
            int prev = outChannel;
            outChannel = reversed.get(u);
            int skipIn = reversed.get(Math.min(u + 1, reversed.size() - 1));
            List<Integer> kept = keptUp.get(u);
            for (int l = 0; l < kept.size(); l++) {
                int skip = l == kept.size() - 1 ? skipIn : outChannel;
                int previous = l == 0 ? prev : outChannel;
                inputs.add(new ResnetInput("up_blocks." + u + ".resnets." + l,
                        "up_blocks." + upBlocks.get(u) + ".resnets." + kept.get(l), previous + skip));
            }
        }
        return inputs;
    }

    /** A student resnet's expected input channels and the teacher resnet it inherits from. */
    public record ResnetInput(String studentPart, String teacherPart, int channels) {
    }
}

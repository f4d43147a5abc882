package io.github.sdm.assembly.distill;

import io.github.sdm.unet.config.UNetConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Which student part's output distillation's feature loss compares with which teacher part's: the outputs of
 * corresponding blocks, as BK-SDM does. The student is the teacher with layers removed (see
 * {@code StudentPlan}), so its blocks keep their stages' widths and resolutions:
 * <ul>
 *   <li>down block {@code i} matches the teacher's down block {@code i} (its last output, after the downsampler);
 *       where the student's last down block has lost its downsampler (the teacher's innermost stage removed,
 *       {@code bk-tiny}), the two blocks' last layers are compared instead (the attention, or the resnet in a block
 *       without attentions), before the teacher's downsampler: BK-SDM compares the attentions' outputs there;</li>
 *   <li>the mid block matches the teacher's when the student kept it;</li>
 *   <li>up block {@code j} matches the teacher's up block {@code j + d}, {@code d} the number of removed
 *       innermost stages (0 or 1).</li>
 * </ul>
 *
 * @param pairs the pairs, down blocks first, then the mid block, then the up blocks
 */
public record FeaturePairs(List<Pair> pairs) {

    /** One comparison: the student part's last output against the teacher part's (names as the UNet's parts). */
    public record Pair(String studentPart, String teacherPart) {
    }

    public FeaturePairs {
        pairs = List.copyOf(pairs);
    }

    /** The student parts, in order. */
    public List<String> studentParts() {
        return pairs.stream().map(Pair::studentPart).toList();
    }

    /** The teacher parts, in order. */
    public List<String> teacherParts() {
        return pairs.stream().map(Pair::teacherPart).toList();
    }

    /**
     * The pairs of a student assembled from {@code teacher}.
     *
     * @throws IllegalArgumentException when the student is not such a student: more blocks than the teacher or
     *     more than one fewer, or a matched block of another width or type (named)
     */
    public static FeaturePairs of(UNetConfig teacher, UNetConfig student) {
        int n = teacher.blockCount();
        int k = student.blockCount();
        if (k > n || k < n - 1) {
            throw new IllegalArgumentException("feature loss: the student has " + k + " blocks and the teacher " + n
                    + "; an assembled student has as many or one fewer (the innermost stage removed)");
        }
        int removed = n - k;
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            requireSame("down_blocks." + i, teacher.blockOutChannels().get(i), student.blockOutChannels().get(i),
                    teacher.downBlockTypes().get(i), student.downBlockTypes().get(i));
            boolean lostDownsampler = i == k - 1 && removed > 0;
            pairs.add(lostDownsampler
                    ? new Pair(lastLayer(student, i), lastLayer(teacher, i))
                    : new Pair("down_blocks." + i, "down_blocks." + i));
        }
        if (student.hasMidBlock() && teacher.hasMidBlock()) {
            pairs.add(new Pair("mid_block", "mid_block"));
        }
        for (int j = 0; j < k; j++) {
            // up block j reads the down block k-1-j's width
            requireSame("up_blocks." + j, teacher.blockOutChannels().get(n - 1 - (j + removed)),
                    student.blockOutChannels().get(k - 1 - j), teacher.upBlockTypes().get(j + removed),
                    student.upBlockTypes().get(j));
            pairs.add(new Pair("up_blocks." + j, "up_blocks." + (j + removed)));
        }
        return new FeaturePairs(pairs);
    }

    /** The last layer of down block {@code i}: its last attention, or its last resnet where it has none. */
    private static String lastLayer(UNetConfig config, int i) {
        boolean attentions = config.downBlockTypes().get(i).equals(UNetConfig.CROSS_ATTN_DOWN);
        return "down_blocks." + i + (attentions ? ".attentions." : ".resnets.") + (config.layersPerBlock().get(i) - 1);
    }

    private static void requireSame(String studentBlock, int teacherWidth, int studentWidth, String teacherType,
            String studentType) {
        if (teacherWidth != studentWidth || !teacherType.equals(studentType)) {
            throw new IllegalArgumentException("feature loss: the student's " + studentBlock + " (" + studentType + ", "
                    + studentWidth + " channels) does not match the teacher block it is compared with (" + teacherType
                    + ", " + teacherWidth + " channels); distill a student assembled from this teacher, or pass a"
                    + " feature loss weight of 0");
        }
    }
}

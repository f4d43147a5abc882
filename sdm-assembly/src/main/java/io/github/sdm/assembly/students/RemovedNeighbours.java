package io.github.sdm.assembly.students;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The removed resnets next to a kept one, for ME-CondConv's cross-layer initialisation: in the teacher's order of
 * resnets (down blocks, the mid block, up blocks; each by block and layer index), the removed resnets between the
 * kept one and the nearest kept resnet on either side, nearest first (after before at equal distance).
 */
public final class RemovedNeighbours {
    private static final Pattern RESNET_WEIGHT = Pattern.compile(
            "(down_blocks\\.(\\d+)|mid_block|up_blocks\\.(\\d+))\\.resnets\\.(\\d+)\\.conv1\\.weight");

    private RemovedNeighbours() {
    }

    /**
     * @param plan the student's plan on the teacher
     * @param teacherKeys the teacher's weight keys (the resnets are found by their {@code conv1.weight})
     * @param keptResnet a resnet the student keeps, by the teacher's name (e.g. {@code down_blocks.2.resnets.0})
     * @return the removed teacher resnets next to it, nearest first
     * @throws IllegalArgumentException if {@code keptResnet} is not a resnet the student keeps
     */
    public static List<String> of(StudentPlan plan, Collection<String> teacherKeys, String keptResnet) {
        List<String> order = resnetsInOrder(teacherKeys);
        int at = order.indexOf(keptResnet);
        if (at < 0 || !kept(plan, keptResnet)) {
            throw new IllegalArgumentException("'" + keptResnet + "' is not a resnet of the teacher that the student "
                    + "keeps; the teacher's resnets: " + order);
        }
        List<String> after = new ArrayList<>();
        for (int i = at + 1; i < order.size() && !kept(plan, order.get(i)); i++) {
            after.add(order.get(i));
        }
        List<String> before = new ArrayList<>();
        for (int i = at - 1; i >= 0 && !kept(plan, order.get(i)); i--) {
            before.add(order.get(i));
        }
        List<String> nearestFirst = new ArrayList<>();
        for (int d = 0; d < Math.max(after.size(), before.size()); d++) {
            if (d < after.size()) {
                nearestFirst.add(after.get(d));
            }
            if (d < before.size()) {
                nearestFirst.add(before.get(d));
            }
        }
        return nearestFirst;
    }

    private static boolean kept(StudentPlan plan, String resnet) {
        return plan.studentKey(resnet + ".conv1.weight").isPresent();
    }

    /** The teacher's resnets in the UNet's order: down blocks, the mid block, up blocks. */
    static List<String> resnetsInOrder(Collection<String> teacherKeys) {
        record Resnet(String name, int section, int block, int layer) {
        }
        List<Resnet> resnets = new ArrayList<>();
        for (String key : teacherKeys) {
            Matcher m = RESNET_WEIGHT.matcher(key);
            if (m.matches()) {
                int section = m.group(2) != null ? 0 : m.group(3) == null ? 1 : 2;
                int block = section == 0 ? Integer.parseInt(m.group(2)) : section == 2 ? Integer.parseInt(m.group(3)) : 0;
                resnets.add(new Resnet(m.group(1) + ".resnets." + m.group(4), section, block,
                        Integer.parseInt(m.group(4))));
            }
        }
        resnets.sort(Comparator.comparingInt(Resnet::section).thenComparingInt(Resnet::block)
                .thenComparingInt(Resnet::layer));
        return resnets.stream().map(Resnet::name).toList();
    }
}

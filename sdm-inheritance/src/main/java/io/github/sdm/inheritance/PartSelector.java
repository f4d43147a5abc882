package io.github.sdm.inheritance;

import io.github.sdm.core.error.InvalidRequestException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which parts of a UNet a layer- or unit-level inheritance applies to: a named group or a part-name
 * prefix. Matching is on whole name segments, so {@code down_blocks.1} selects
 * {@code down_blocks.1.attentions.0} but not {@code down_blocks.10}.
 *
 * <p>Groups (B = number of down blocks, the top level is the full-resolution one):
 * <ul>
 *   <li>{@code all}: every part;
 *   <li>{@code deep}: everything below the top level: {@code down_blocks.1..B-1}, {@code mid_block},
 *       {@code up_blocks.0..B-2};
 *   <li>{@code down}, {@code mid}, {@code up}: the contracting path, the mid block, the expanding path.
 * </ul>
 *
 * @param token a group name or a prefix starting with {@code down_blocks}, {@code mid_block} or
 *     {@code up_blocks}, e.g. {@code up_blocks.1.attentions}
 */
public record PartSelector(String token) {
    /** The group names, in the order {@code --help} lists them. */
    public static final List<String> GROUPS = List.of("all", "deep", "down", "mid", "up");

    private static final Pattern PREFIX = Pattern.compile("(down_blocks|up_blocks|mid_block)(\\.[a-z0-9_]+)*");
    private static final Pattern BLOCK_INDEX = Pattern.compile("(down_blocks|up_blocks)\\.(\\d+)(\\..*)?");

    /**
     * Checks the token.
     *
     * @param token a group name or a part-name prefix, lower case
     * @throws InvalidRequestException if it is neither
     */
    public PartSelector {
        if (token == null || !(GROUPS.contains(token) || PREFIX.matcher(token).matches())) {
            throw new InvalidRequestException("part selector '" + token + "' is neither a group ("
                    + String.join(", ", GROUPS) + ") nor a part-name prefix starting with down_blocks, mid_block or"
                    + " up_blocks (e.g. down_blocks.2 or up_blocks.1.attentions.0)");
        }
    }

    /**
     * The selector spelled {@code token}, case-insensitive.
     *
     * @param token a group name or a part-name prefix, e.g. {@code deep} or {@code down_blocks.2}
     * @return the selector
     * @throws InvalidRequestException if it is neither a group nor a prefix
     */
    public static PartSelector of(String token) {
        return new PartSelector(token == null ? null : token.toLowerCase(Locale.ROOT));
    }

    /**
     * Whether this selector is one of {@link #GROUPS}.
     *
     * @return true for a group, false for a prefix
     */
    public boolean isGroup() {
        return GROUPS.contains(token);
    }

    /**
     * Whether the part named {@code partName} lies in this selection.
     *
     * @param partName a diffusers part name, e.g. {@code down_blocks.1.attentions.0}
     * @param downBlocks the number of down blocks of the UNet (4 for SD 1.x and 2.x)
     * @return true if the part is, or lies under, a selected part
     */
    public boolean matches(String partName, int downBlocks) {
        switch (token) {
            case "all":
                return true;
            case "down":
                return underPrefix(partName, "down_blocks");
            case "mid":
                return underPrefix(partName, "mid_block");
            case "up":
                return underPrefix(partName, "up_blocks");
            case "deep":
                if (underPrefix(partName, "mid_block")) {
                    return true;
                }
                var m = BLOCK_INDEX.matcher(partName);
                if (!m.matches()) {
                    return false;
                }
                int index = Integer.parseInt(m.group(2));
                return m.group(1).equals("down_blocks") ? index >= 1 : index <= downBlocks - 2;
            default:
                return underPrefix(partName, token);
        }
    }

    private static boolean underPrefix(String partName, String prefix) {
        return partName.equals(prefix) || partName.startsWith(prefix + ".");
    }

    @Override
    public String toString() {
        return token;
    }
}

package io.github.sdm.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sdm bench quality} end to end: the embedded random model on a tiny emoji folder written here. */
public class QualityCommandTest {
    /** unified, name, category, colour; 1F34E is held out by the hash rule, the others are training emoji. */
    private static final String[][] EMOJI = {
        {"1F34E", "RED APPLE", "Food & Drink", "ff0000"},
        {"1F436", "DOG FACE", "Animals & Nature", "c08040"},
        {"1F600", "GRINNING FACE", "Smileys & Emotion", "ffd000"},
        {"1F30D", "EARTH GLOBE EUROPE-AFRICA", "Travel & Places", "2060ff"},
    };

    @TempDir
    Path dir;

    private Path emojiFolder() throws IOException {
        return emojiFolder(dir);
    }

    /**
     * A tiny emoji folder under {@code dir} (written once) in the layout of scripts/fetch-emoji: both styles, each
     * emoji a coloured square on transparency.
     */
    public static Path emojiFolder(Path dir) throws IOException {
        if (Files.isDirectory(dir.resolve("emoji"))) {
            return dir.resolve("emoji");
        }
        for (String[] style : new String[][] {{"twitter", "16"}, {"google", "4"}}) {
            Path pkg = dir.resolve("emoji").resolve("emoji-datasource-" + style[0]);
            Path images = Files.createDirectories(pkg.resolve("img").resolve(style[0]).resolve("64"));
            StringBuilder json = new StringBuilder("[");
            for (int i = 0; i < EMOJI.length; i++) {
                String file = EMOJI[i][0].toLowerCase() + ".png";
                json.append(i == 0 ? "" : ",").append(String.format("{\"name\": \"%s\", \"unified\": \"%s\", "
                        + "\"image\": \"%s\", \"category\": \"%s\", \"has_img_%s\": true}", EMOJI[i][1], EMOJI[i][0],
                        file, EMOJI[i][2], style[0]));
                BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_ARGB);
                Graphics2D g = image.createGraphics();
                g.setColor(new Color(Integer.parseInt(EMOJI[i][3], 16)));
                int inset = Integer.parseInt(style[1]);
                g.fillRect(inset, inset, 64 - 2 * inset, 64 - 2 * inset);
                g.dispose();
                ImageIO.write(image, "png", images.resolve(file).toFile());
            }
            Files.writeString(pkg.resolve("emoji.json"), json.append("]").toString());
        }
        return dir.resolve("emoji");
    }

    @Test
    void printsFidelityRealismAndDeviationTables() throws IOException {
        CliRunner.Result result = CliRunner.run("bench", "quality", "--model", GenerateCommandTest.MODEL, "--data", emojiFolder().toString(),
                "--prompts", "2", "--steps", "2", "--variant", "sampler=dpmpp_2m", "--variant", "steps=1",
                "--variant", "deepcache", "--variant", "vae=" + GenerateCommandTest.TAESD);
        assertEquals(0, result.code(), result.err());
        String out = result.out();
        assertTrue(out.contains("### Prompt fidelity: retrieval among all emoji" + System.lineSeparator()
                + System.lineSeparator() + "| names"), out);
        assertTrue(out.contains("16x16 RGB"), out);
        // 6 training pictures (3 emoji, 2 styles), 2 drawn; 2 held-out pictures; a gallery of 8
        Matcher training = row("training").matcher(out);
        assertTrue(training.find(), out);
        assertEquals("2", training.group(1));
        assertPercent(training.group(2));
        assertPercent(training.group(3));
        assertEquals("12.500%", training.group(4));
        assertEquals("62.500%", training.group(5));
        Matcher heldOut = row("held out").matcher(out);
        assertTrue(heldOut.find(), out);
        assertEquals("2", heldOut.group(1));

        Matcher realism = Pattern.compile("\\|\\s*4 \\|\\s*8 \\| diagonal\\s*\\|\\s*([0-9.]+) \\|").matcher(out);
        assertTrue(realism.find(), out);
        assertTrue(Double.parseDouble(realism.group(1)) > 0, out);

        assertTrue(out.contains("### Deviation from the full model (same seeds)"), out);
        assertTrue(Pattern.compile("\\| full model\\s*\\|\\s*reference \\|").matcher(out).find(), out);
        // the default sampler again: the very same pictures
        assertTrue(Pattern.compile("`sampler=dpmpp_2m`\\s*\\|\\s*identical \\|\\s*0\\.0000 \\|").matcher(out).find(),
                out);
        Matcher oneStep = Pattern.compile("`steps=1`\\s*\\|\\s*([0-9.]+) \\|\\s*([0-9.]+) \\|").matcher(out);
        assertTrue(oneStep.find(), out);
        double psnr = Double.parseDouble(oneStep.group(1));
        assertTrue(psnr > 0 && psnr < 100, out);
        double meanAbs = Double.parseDouble(oneStep.group(2));
        assertTrue(meanAbs > 0 && meanAbs <= 1, out);
        assertTrue(out.contains("`deepcache`"), out);
        // realism per row, under the realism table's embedding and covariance: the same pictures give the full
        // model's distance to the last digit, one step fewer another distance
        assertEquals(realism.group(1), cells(out, "full model").get(5), out);
        assertEquals(realism.group(1), cells(out, "sampler=dpmpp_2m").get(5), out);
        String oneStepDistance = cells(out, "steps=1").get(5);
        assertTrue(Double.parseDouble(oneStepDistance) > 0 && !oneStepDistance.equals(realism.group(1)), out);
        // TAESD decodes the same latents differently: a finite PSNR
        Matcher taesd = Pattern.compile("`vae=[^`]+`\\s*\\|\\s*([0-9.]+) \\|").matcher(out);
        assertTrue(taesd.find(), out);
        assertTrue(Double.parseDouble(taesd.group(1)) > 0, out);
    }

    /**
     * A switch at 0 computes every call on the model's UNet, one at 1 every call on the student: their pictures are
     * the teacher's and the student's bit for bit ("identical": the PSNR is infinite only for equal pictures).
     */
    @Test
    void switchingAtNoCallsIsTheTeacherAndAtAllCallsTheStudentBitForBit() throws IOException {
        Path student = dir.resolve("student");
        CliRunner.Result assembled = CliRunner.run("assemble", "--from", GenerateCommandTest.MODEL, "--preset",
                "bk-small", "--out", student.toString());
        assertEquals(0, assembled.code(), assembled.err());
        Matcher counts = Pattern.compile("([0-9,]+) -> ([0-9,]+) UNet parameters").matcher(assembled.out());
        assertTrue(counts.find(), assembled.out());
        String teacherParameters = counts.group(1);
        String studentParameters = counts.group(2);
        String studentUnet = student.resolve("unet").toString();

        CliRunner.Result teacher = CliRunner.run("bench", "quality", "--model", GenerateCommandTest.MODEL, "--data",
                emojiFolder().toString(), "--prompts", "1", "--steps", "4",
                "--variant", "switch=" + student + "@0", "--variant", "switch=" + student + "@0.5",
                "--variant", "unet=" + studentUnet, "--variant", "deepcache",
                "--variant", "switch=" + student + "@0+deepcache");
        assertEquals(0, teacher.code(), teacher.err());
        String out = teacher.out();
        assertEquals("identical", cells(out, "switch=" + student + "@0").get(1), out);
        List<String> half = cells(out, "switch=" + student + "@0.5");
        List<String> alone = cells(out, "unet=" + studentUnet);
        assertTrue(!half.get(1).equals("identical") && !alone.get(1).equals("identical"), out);
        assertTrue(!half.get(2).equals(alone.get(2)), "half the calls on the student is not the student alone: " + out);
        // the teacher's pictures again: the full model's Fréchet distance; the student's pictures: another one
        assertEquals(cells(out, "full model").get(5), cells(out, "switch=" + student + "@0").get(5), out);
        assertTrue(!alone.get(5).equals(cells(out, "full model").get(5)), out);
        // deepcache inside the switch, all calls on the model's UNet: the deepcache variant's pictures
        assertEquals(cells(out, "deepcache").subList(1, 6), cells(out, "switch=" + student + "@0+deepcache")
                .subList(1, 6), out);
        // parameters: the model's, the student's, and both for a switch
        assertEquals(teacherParameters, cells(out, "full model").get(10), out);
        assertEquals(studentParameters, alone.get(10), out);
        assertEquals(studentParameters + " + " + teacherParameters, half.get(10), out);
        for (List<String> row : List.of(cells(out, "full model"), half, alone)) {
            assertTrue(Double.parseDouble(row.get(8)) > 0, "a UNet call time: " + row);
            assertTrue(row.get(9).matches("[0-9]+\\.[0-9]{2}x"), "a per-call speed-up: " + row);
        }
        assertEquals("1.00x", cells(out, "full model").get(9), out);

        // the student as the full model, the teacher's UNet swapped in: a switch at 1 is the student again
        CliRunner.Result studentModel = CliRunner.run("bench", "quality", "--model", student.toString(), "--data",
                emojiFolder().toString(), "--prompts", "1", "--steps", "4",
                "--variant", "unet=" + GenerateCommandTest.MODEL + "/unet+switch=" + student + "@1",
                "--variant", "unet=" + GenerateCommandTest.MODEL + "/unet");
        assertEquals(0, studentModel.code(), studentModel.err());
        out = studentModel.out();
        assertEquals("identical", cells(out, "unet=" + GenerateCommandTest.MODEL + "/unet+switch=" + student + "@1")
                .get(1), out);
        assertTrue(!cells(out, "unet=" + GenerateCommandTest.MODEL + "/unet").get(1).equals("identical"),
                "the teacher's pictures differ from the student's: " + out);
    }

    /** The cells of the deviation table's row {@code variant} (the full model's row is {@code full model}). */
    private static List<String> cells(String out, String variant) {
        String start = variant.equals("full model") ? "| full model " : "| `" + variant + "` ";
        for (String line : out.split("\\R")) {
            if (line.startsWith(start)) {
                return Arrays.stream(line.substring(1, line.length() - 1).split("\\|")).map(String::trim).toList();
            }
        }
        throw new AssertionError("no row '" + variant + "' in:\n" + out);
    }

    @Test
    void theGridShowsEachGeneratedPictureBesideTheEmojiItsPromptNames() throws IOException {
        Path grid = dir.resolve("grid.png");
        CliRunner.Result result = CliRunner.run("bench", "quality", "--model", GenerateCommandTest.MODEL, "--data",
                emojiFolder().toString(), "--prompts", "2", "--steps", "2", "--grid", grid.toString(),
                "--grid-cells", "3");
        assertEquals(0, result.code(), result.err());
        String out = result.out();
        assertTrue(out.contains("### Picture grid"), out);
        // 3 cells: 2 training names then 1 held-out name (the only held-out emoji is the red apple)
        Matcher captions = Pattern.compile("(?m)^(\\d)\\. ([A-Za-z -]+), (twemoji|noto)( \\(held out\\))?$")
                .matcher(out);
        BufferedImage picture = ImageIO.read(grid.toFile());
        int side = 64 * 2; // 64 px pictures drawn twice as large
        int cell = 2 * side + 8;
        assertEquals(3 * (cell + 8) + 8, picture.getWidth());
        assertEquals(side + 16, picture.getHeight());
        int cells = 0;
        while (captions.find()) {
            int k = Integer.parseInt(captions.group(1)) - 1;
            assertEquals(k == 2, captions.group(4) != null, out);
            String colour = java.util.Arrays.stream(EMOJI).filter(e -> e[1].equalsIgnoreCase(captions.group(2)))
                    .findFirst().orElseThrow()[3];
            // the real emoji sits right of the generated one: its centre is the emoji's colour
            int x = 8 + k * (cell + 8) + side + 8 + side / 2;
            assertEquals(Integer.parseInt(colour, 16), picture.getRGB(x, 8 + side / 2) & 0xffffff, out);
            cells++;
        }
        assertEquals(3, cells, out);
    }

    @Test
    void theVaeEmbeddingUsesTheModelsEncoder() throws IOException {
        CliRunner.Result result = CliRunner.run("bench", "quality", "--model", GenerateCommandTest.MODEL, "--data",
                emojiFolder().toString(), "--prompts", "1", "--steps", "2", "--embedding", "vae");
        assertEquals(0, result.code(), result.err());
        String out = result.out();
        assertTrue(out.contains("Embedding: mean latents of the VAE encoder of `" + GenerateCommandTest.MODEL
                + "`, L2 distance."), out);
        Matcher training = row("training").matcher(out);
        assertTrue(training.find(), out);
        assertEquals("1", training.group(1));
        assertTrue(Pattern.compile("\\|\\s*2 \\|\\s*8 \\| diagonal\\s*\\|\\s*[0-9.]+ \\|").matcher(out).find(), out);
    }

    @Test
    void theEmojiSpreadIsStatedInTheReport() throws IOException {
        CliRunner.Result result = CliRunner.run("bench", "quality", "--model", GenerateCommandTest.MODEL, "--data",
                emojiFolder().toString(), "--prompts", "1", "--steps", "1", "--spread", "emoji");
        assertEquals(0, result.code(), result.err());
        assertTrue(result.out().contains("\"<name>, <style>\", one per emoji (skin-tone variations skipped)."),
                result.out());
    }

    @Test
    void badVariantsAndMissingDataAreNamed() throws IOException {
        CliRunner.Result embedding = CliRunner.run("bench", "quality", "--model", GenerateCommandTest.MODEL, "--data",
                emojiFolder().toString(), "--embedding", "inception");
        assertEquals(2, embedding.code());
        assertTrue(embedding.err().contains("--embedding 'inception': expected pixels, vae or vae:FOLDER"),
                embedding.err());
        CliRunner.Result unknown = CliRunner.run("bench", "quality", "--model", GenerateCommandTest.MODEL, "--data", emojiFolder().toString(),
                "--variant", "colour=red");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("--variant 'colour=red': unknown kind 'colour'"), unknown.err());
        Path nowhere = dir.resolve("no-vae");
        CliRunner.Result noVae = CliRunner.run("bench", "quality", "--model", GenerateCommandTest.MODEL, "--data",
                emojiFolder().toString(), "--variant", "vae=" + nowhere);
        assertTrue(noVae.err().contains(nowhere + " is not a folder"), noVae.err());
        CliRunner.Result preset = CliRunner.run("bench", "quality", "--model", GenerateCommandTest.MODEL, "--data", emojiFolder().toString(),
                "--variant", "preset=nope");
        assertTrue(preset.err().contains("no feature-inheritance preset 'nope'"), preset.err());
        CliRunner.Result spread = CliRunner.run("bench", "quality", "--model", GenerateCommandTest.MODEL, "--data",
                emojiFolder().toString(), "--spread", "names");
        assertEquals(2, spread.code());
        assertTrue(spread.err().contains("'names' is not a prompt spread: use pictures or emoji"), spread.err());
        Path missing = dir.resolve("nothing");
        CliRunner.Result noData = CliRunner.run("bench", "quality", "--model", GenerateCommandTest.MODEL, "--data", missing.toString());
        assertEquals(2, noData.code());
        assertTrue(noData.err().contains(missing.toString()) && noData.err().contains("scripts/fetch-emoji"),
                noData.err());
    }

    /** A fidelity row: prompts, top-1, top-5, chance top-1, chance top-5. */
    private static Pattern row(String names) {
        String cell = "\\|\\s*([0-9.%]+) ";
        return Pattern.compile("\\| " + names + "\\s*" + cell + cell + cell + cell + cell + "\\|");
    }

    private static void assertPercent(String cell) {
        double value = Double.parseDouble(cell.replace("%", ""));
        assertTrue(value >= 0 && value <= 100, cell);
    }
}

package io.github.sdm.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.testkit.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sdm distill}: its help, a short run end to end, and its errors (the stage is tested in sdm-assembly). */
class DistillCommandTest {
    @TempDir
    Path dir;

    @Test
    void helpNamesTheOptions() {
        CliRunner.Result result = CliRunner.run("distill", "--help");
        assertEquals(0, result.code());
        for (String expected : new String[] {"--teacher", "--student", "--data", "--out", "--steps", "--batch", "--lr",
                "--seed", "--checkpoint-every", "--resume", "--task-weight", "--output-weight", "--feature-weight"}) {
            assertTrue(result.out().contains(expected), expected + " in:\n" + result.out());
        }
    }

    @Test
    void aStudentIsDistilledIntoALoadableModelFolder() throws IOException {
        Path student = dir.resolve("student");
        assertEquals(0, CliRunner.run("assemble", "--from", TestData.tinySd().toString(), "--preset", "bk-tiny",
                "--out", student.toString()).code());
        Path out = dir.resolve("out");
        CliRunner.Result result = CliRunner.run("distill", "--teacher", TestData.tinySd().toString(), "--student",
                student.toString(), "--data", QualityCommandTest.emojiFolder(dir).toString(), "--out", out.toString(),
                "--steps", "2", "--batch", "2");
        assertEquals(0, result.code(), result.err());
        assertTrue(result.err().contains("down_blocks.2.attentions.0 <- down_blocks.2.attentions.1"), result.err());
        assertTrue(result.err().contains("2/2"), result.err());
        assertEquals(3, Files.readAllLines(out.resolve("distill-loss.csv")).size());
        assertEquals("step,task,output,feature", Files.readAllLines(out.resolve("distill-terms.csv")).get(0));
        CliRunner.Result generate = CliRunner.run("generate", "--model", out.resolve("model").toString(), "--prompt",
                "dog face", "--steps", "2", "--out", dir.resolve("dog.png").toString());
        assertEquals(0, generate.code(), generate.err());
        assertTrue(Files.isRegularFile(dir.resolve("dog.png")));

        CliRunner.Result again = CliRunner.run("distill", "--teacher", TestData.tinySd().toString(), "--student",
                student.toString(), "--data", QualityCommandTest.emojiFolder(dir).toString(), "--out", out.toString(),
                "--steps", "2", "--batch", "2");
        assertNotEquals(0, again.code());
        assertTrue(again.err().contains("--resume"), again.err());
    }

    @Test
    void badInputIsNamed() {
        CliRunner.Result weights = CliRunner.run("distill", "--teacher", TestData.tinySd().toString(), "--student",
                TestData.tinySd().toString(), "--out", dir.toString(), "--steps", "1", "--feature-weight", "-1");
        assertNotEquals(0, weights.code());
        assertTrue(weights.err().contains("feature loss weight"), weights.err());
        Path nowhere = dir.resolve("nowhere");
        CliRunner.Result student = CliRunner.run("distill", "--teacher", TestData.tinySd().toString(), "--student",
                nowhere.toString(), "--out", dir.toString(), "--steps", "1");
        assertNotEquals(0, student.code());
        assertTrue(student.err().contains(nowhere.toString()), student.err());
    }
}

package io.github.sdm.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.testkit.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipTokenizerTest {
    private static final Path CLIP = TestData.fixture("clip-tokenizer");
    private static final ClipTokenizer TOKENIZER = ClipTokenizer.load(CLIP);

    @TempDir
    Path dir;

    @Test
    void readsTheSd15Settings() {
        assertEquals(77, TOKENIZER.maxLength());
        assertEquals(49406, TOKENIZER.bosId());
        assertEquals(49407, TOKENIZER.eosId());
        assertEquals(49407, TOKENIZER.padId());
    }

    @Test
    void shortPromptIsFramedAndPadded() {
        TokenizedPrompt p = TOKENIZER.encode("a photo of a cat");
        long[] expected = new long[77];
        Arrays.fill(expected, 49407);
        long[] head = {49406, 320, 1125, 539, 320, 2368, 49407};
        System.arraycopy(head, 0, expected, 0, head.length);
        assertArrayEquals(expected, p.inputIds());
        assertArrayEquals(new int[] {320, 1125, 539, 320, 2368}, p.promptIds());
        assertFalse(p.truncated());
        assertEquals(0, p.droppedTokenCount());
        assertEquals(6, p.endTokenIndex());
        assertNull(p.truncationWarning());
    }

    @Test
    void longPromptIsCutAndReportsWhatWasDropped() {
        String prompt = "red ".repeat(80) + "blue green";
        TokenizedPrompt p = TOKENIZER.encode(prompt);
        assertEquals(82, p.promptIds().length);
        assertTrue(p.truncated());
        assertEquals(75, p.keptTokenCount());
        assertEquals(7, p.droppedTokenCount());
        long[] ids = p.inputIds();
        assertEquals(77, ids.length);
        assertEquals(49406, ids[0]);
        assertEquals(49407, ids[76]);
        assertEquals(76, p.endTokenIndex());
        assertEquals("red red red red red blue green", TOKENIZER.decode(Arrays.copyOfRange(p.promptIds(), 75, 82)));
        assertTrue(p.truncationWarning().endsWith("up to 77 tokens: red red red red red blue green"),
                p.truncationWarning());
    }

    @Test
    void truncationWarningQuotesOnlyTheStartOfAHugePrompt() {
        TokenizedPrompt p = TOKENIZER.encode("a".repeat(1_000_000));
        String warning = p.truncationWarning();
        String dropped = p.droppedText();
        assertTrue(dropped.length() > 1000, "dropped " + dropped.length() + " characters");
        assertEquals("The following part of your input was truncated because CLIP can only handle sequences up to "
                + "77 tokens: " + dropped.substring(0, 80) + "... (" + (dropped.length() - 80) + " more characters)",
                warning);
    }

    @Test
    void exactlyFullPromptIsNotTruncated() {
        TokenizedPrompt p = TOKENIZER.encode("red ".repeat(75));
        assertFalse(p.truncated());
        assertEquals(49407, p.inputIds()[76]);
        assertEquals(76, p.endTokenIndex());
    }

    @Test
    void decodesBackToCleanedText() {
        assertEquals("don 't stop believing !!", TOKENIZER.decode(TOKENIZER.bpe("Don't   stop believing!!")));
        assertEquals("café 😀", TOKENIZER.decode(TOKENIZER.bpe("café 😀")));
    }

    @Test
    void sd2PadsWithTheExclamationMark() throws IOException {
        copyTokenizer(dir);
        Files.writeString(dir.resolve("special_tokens_map.json"), """
                {"bos_token": {"content": "<|startoftext|>", "lstrip": false, "normalized": true},
                 "eos_token": {"content": "<|endoftext|>", "lstrip": false, "normalized": true},
                 "pad_token": "!",
                 "unk_token": {"content": "<|endoftext|>", "lstrip": false, "normalized": true}}
                """);
        ClipTokenizer sd2 = ClipTokenizer.load(dir);
        assertEquals(0, sd2.padId());
        long[] ids = sd2.inputIds("a photo of a cat");
        assertArrayEquals(new long[] {49406, 320, 1125, 539, 320, 2368, 49407, 0, 0}, Arrays.copyOf(ids, 9));
        assertEquals(0, ids[76]);
    }

    @Test
    void specialTokensMapOverridesTheConfig() throws IOException {
        copyTokenizer(dir);
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"model_max_length\": 16, \"pad_token\": \"!\"}");
        Files.writeString(dir.resolve("special_tokens_map.json"), "{\"pad_token\": \"<|endoftext|>\"}");
        ClipTokenizer t = ClipTokenizer.load(dir);
        assertEquals(16, t.maxLength());
        assertEquals(49407, t.padId());
        Files.delete(dir.resolve("special_tokens_map.json"));
        assertEquals(0, ClipTokenizer.load(dir).padId());
    }

    @Test
    void unsetModelMaxLengthFallsBackToClips() throws IOException {
        copyTokenizer(dir);
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"model_max_length\": 1000000000000000019884624838656}");
        assertEquals(77, ClipTokenizer.load(dir).maxLength());
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"model_max_length\": 1.5}");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ClipTokenizer.load(dir));
        assertTrue(e.getMessage().contains("tokenizer_config.json") && e.getMessage().contains("model_max_length"),
                e.getMessage());
    }

    @Test
    void nullPromptIsRejected() {
        SdmException e = assertThrows(SdmException.class, () -> TOKENIZER.encode(null));
        assertTrue(e.getMessage().contains("prompt"), e.getMessage());
        assertThrows(SdmException.class, () -> TOKENIZER.bpe(null));
    }

    @Test
    void missingFilesAreNamed() throws IOException {
        copyTokenizer(dir);
        Files.delete(dir.resolve("merges.txt"));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ClipTokenizer.load(dir));
        assertTrue(e.getMessage().contains(dir.resolve("merges.txt").toString()), e.getMessage());
        Files.delete(dir.resolve("vocab.json"));
        e = assertThrows(ModelFormatException.class, () -> ClipTokenizer.load(dir));
        assertTrue(e.getMessage().contains(dir.resolve("vocab.json").toString()), e.getMessage());
        Path absent = dir.resolve("tokenizer");
        e = assertThrows(ModelFormatException.class, () -> ClipTokenizer.load(absent));
        assertTrue(e.getMessage().contains(absent.toString()), e.getMessage());
    }

    @Test
    void malformedFilesAreNamed() throws IOException {
        copyTokenizer(dir);
        Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\nt h\nth e extra\n");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ClipTokenizer.load(dir));
        assertTrue(e.getMessage().contains("merges.txt") && e.getMessage().contains("line 3"), e.getMessage());
        copyTokenizer(dir);
        Files.writeString(dir.resolve("vocab.json"), "{\"a\": 0, \"b\": \"one\"}");
        e = assertThrows(ModelFormatException.class, () -> ClipTokenizer.load(dir));
        assertTrue(e.getMessage().contains("vocab.json") && e.getMessage().contains("'b'"), e.getMessage());
        Files.writeString(dir.resolve("vocab.json"), "{\"a\": 0}");
        e = assertThrows(ModelFormatException.class, () -> ClipTokenizer.load(dir));
        assertTrue(e.getMessage().contains("vocab.json") && e.getMessage().contains("<|startoftext|>"), e.getMessage());
        Files.writeString(dir.resolve("vocab.json"), "{\"a\": ");
        e = assertThrows(ModelFormatException.class, () -> ClipTokenizer.load(dir));
        assertTrue(e.getMessage().contains("vocab.json"), e.getMessage());
    }

    @Test
    void hugeIdsAreRefusedBeforeTheIdTableIsMade() throws IOException {
        copyTokenizer(dir);
        String vocab = Files.readString(CLIP.resolve("vocab.json")).strip();
        for (long id : new long[] {1_000_000_000L, Integer.MAX_VALUE}) {
            Files.writeString(dir.resolve("vocab.json"),
                    vocab.substring(0, vocab.length() - 1) + ", \"sdm-test-huge</w>\": " + id + "}");
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> ClipTokenizer.load(dir));
            assertEquals(dir.resolve("vocab.json") + ": token 'sdm-test-huge</w>' has id " + id
                    + ", but the vocabulary has only 49409 entries (ids must lie below 50433)", e.getMessage());
        }
        // a few unused ids are tolerated
        Files.writeString(dir.resolve("vocab.json"), vocab.substring(0, vocab.length() - 1) + ", \"sdm-test-gap</w>\": 49500}");
        assertEquals("sdm-test-gap", ClipTokenizer.load(dir).decode(new int[] {49500}));
    }

    @Test
    void isSafeToShareBetweenThreads() throws Exception {
        String[] prompts = {"a photo of a cat", "an astronaut riding a horse, 4k", "café au lait", "東京タワー 夜景"};
        int[][] expected = new int[prompts.length][];
        ClipTokenizer fresh = ClipTokenizer.load(CLIP);
        for (int i = 0; i < prompts.length; i++) {
            expected[i] = TOKENIZER.bpe(prompts[i]);
        }
        Thread[] threads = new Thread[4];
        Throwable[] failure = new Throwable[1];
        for (int t = 0; t < threads.length; t++) {
            int offset = t;
            threads[t] = new Thread(() -> {
                try {
                    for (int n = 0; n < 200; n++) {
                        int i = (n + offset) % prompts.length;
                        assertArrayEquals(expected[i], fresh.bpe(prompts[i]));
                    }
                } catch (Throwable e) {
                    failure[0] = e;
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (failure[0] != null) {
            throw new AssertionError(failure[0]);
        }
    }

    private static void copyTokenizer(Path target) throws IOException {
        for (String name : new String[] {"vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json"}) {
            Files.copy(CLIP.resolve(name), target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}

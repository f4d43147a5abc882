package io.github.sdm.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.sdm.core.testkit.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case of every {@code fixtures/tokenizer/*.json} file ({@code [{prompt, bpe_ids, input_ids}]}) must
 * give exactly the reference ids: {@code cases.json} from OpenAI CLIP, {@code cases-unicode-html.json}
 * from the same algorithm on Python's own {@code html.unescape}, {@code str.lower} and {@code regex}.
 * Dropping a file into the folder adds its cases.
 */
class ClipTokenizerParityTest {
    private static final ClipTokenizer TOKENIZER = ClipTokenizer.load(TestData.fixture("clip-tokenizer"));
    private static final ClipTokenizer UNCACHED = TOKENIZER.withoutWordCache();

    @TestFactory
    Stream<DynamicContainer> matchesTheReferenceIds() throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(TestData.fixture("tokenizer"))) {
            files = listing.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no tokenizer fixtures");
        return files.stream().map(file -> DynamicContainer.dynamicContainer(file.getFileName().toString(), cases(file)));
    }

    private static Stream<DynamicTest> cases(Path file) {
        JsonArray cases;
        try {
            cases = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        List<DynamicTest> tests = new ArrayList<>();
        int index = 0;
        for (JsonElement element : cases) {
            JsonObject c = element.getAsJsonObject();
            String prompt = c.get("prompt").getAsString();
            String name = "#" + index++ + " " + printable(prompt);
            tests.add(DynamicTest.dynamicTest(name, () -> {
                assertArrayEquals(ints(c.getAsJsonArray("bpe_ids")), TOKENIZER.bpe(prompt), "bpe_ids");
                assertArrayEquals(longs(c.getAsJsonArray("input_ids")), TOKENIZER.inputIds(prompt), "input_ids");
                assertArrayEquals(ints(c.getAsJsonArray("bpe_ids")), UNCACHED.bpe(prompt), "bpe_ids without cache");
            }));
        }
        return tests.stream();
    }

    private static String printable(String prompt) {
        String escaped = prompt.codePoints()
                .mapToObj(cp -> Character.isISOControl(cp) || Character.isWhitespace(cp) && cp != ' '
                        ? String.format("\\u%04x", cp) : new String(Character.toChars(cp)))
                .reduce("", String::concat);
        return escaped.length() > 60 ? escaped.substring(0, 60) + "..." : escaped;
    }

    private static int[] ints(JsonArray a) {
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).getAsInt();
        }
        return v;
    }

    private static long[] longs(JsonArray a) {
        long[] v = new long[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).getAsLong();
        }
        return v;
    }
}

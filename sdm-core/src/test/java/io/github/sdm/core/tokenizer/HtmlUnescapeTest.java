package io.github.sdm.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.github.sdm.core.testkit.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Against Python 3.11's {@code html.unescape} on each kind of reference (fixtures/html/unescape-cases.json). */
class HtmlUnescapeTest {

    @Test
    void matchesPythonsHtmlUnescape() throws IOException {
        JsonArray cases = JsonParser.parseString(
                Files.readString(TestData.fixture("html/unescape-cases.json"), StandardCharsets.UTF_8)).getAsJsonArray();
        assertEquals(54, cases.size());
        for (JsonElement c : cases) {
            String input = c.getAsJsonArray().get(0).getAsString();
            String expected = c.getAsJsonArray().get(1).getAsString();
            assertEquals(expected, HtmlUnescape.unescape(input), () -> "unescape(" + input + ")");
        }
    }

    @Test
    void knowsEveryHtml5Entity() {
        assertEquals("\u2242\u0338", HtmlUnescape.unescape("&NotEqualTilde;"));
        assertEquals("fj", HtmlUnescape.unescape("&fjlig;"));
        assertEquals("\u00a0", HtmlUnescape.unescape("&nbsp"));
        assertEquals("&nosuch;", HtmlUnescape.unescape("&nosuch;"));
    }
}

package io.github.sdm.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ClipTextCleanerTest {

    @Test
    void unescapesTwiceCollapsesWhitespaceAndLowerCases() {
        assertEquals("tom & jerry", ClipTextCleaner.clean("  Tom &amp;amp;\t\n Jerry \u3000"));
        assertEquals("a b", ClipTextCleaner.clean("A&nbsp;&nbsp;B"));
        assertEquals("οδος", ClipTextCleaner.clean("ΟΔΟΣ")); // final sigma
    }

    @Test
    void stripsLikePythonButCollapsesLikeTheRegexModule() {
        // U+001C..U+001F are whitespace to str.strip() but not to regex's \s.
        assertEquals("a\u001cb", ClipTextCleaner.clean("\u001c a\u001cb \u001f"));
        assertEquals("a b", ClipTextCleaner.clean("a\u0085\u2028b"));
        assertEquals("a\u200bb", ClipTextCleaner.clean("a\u200bb")); // zero-width space is not whitespace
    }
}

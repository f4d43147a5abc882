package io.github.sdm.core.tokenizer;

/**
 * A prompt ready for the text encoder: {@code inputIds} is start token, the prompt's ids cut to
 * {@code maxLength - 2}, end token, then padding to {@code maxLength}. {@code promptIds} are all of the
 * prompt's ids before the cut, so a caller can warn about what was dropped, as diffusers does.
 */
public record TokenizedPrompt(long[] inputIds, int[] promptIds, String droppedText) {
    /** How much of the dropped text the warning quotes: enough to recognise it, short enough for one log line. */
    private static final int QUOTED_CHARACTERS = 80;

    public TokenizedPrompt {
        inputIds = inputIds.clone();
        promptIds = promptIds.clone();
    }

    @Override
    public long[] inputIds() {
        return inputIds.clone();
    }

    @Override
    public int[] promptIds() {
        return promptIds.clone();
    }

    public int maxLength() {
        return inputIds.length;
    }

    /** How many of the prompt's ids made it into {@link #inputIds()}. */
    public int keptTokenCount() {
        return Math.min(promptIds.length, inputIds.length - 2);
    }

    public int droppedTokenCount() {
        return promptIds.length - keptTokenCount();
    }

    public boolean truncated() {
        return droppedTokenCount() > 0;
    }

    /** Where the end token sits in {@link #inputIds()}. */
    public int endTokenIndex() {
        return keptTokenCount() + 1;
    }

    /**
     * The message diffusers logs when a prompt is cut, or null if nothing was dropped. Unlike diffusers' it
     * quotes only the start of the dropped text, so that a huge prompt does not flood the log.
     */
    public String truncationWarning() {
        if (!truncated()) {
            return null;
        }
        String quoted = droppedText;
        if (droppedText.length() > QUOTED_CHARACTERS) {
            // never split a surrogate pair
            int cut = Character.isHighSurrogate(droppedText.charAt(QUOTED_CHARACTERS - 1)) ? QUOTED_CHARACTERS - 1
                    : QUOTED_CHARACTERS;
            quoted = droppedText.substring(0, cut) + "... (" + (droppedText.length() - cut) + " more characters)";
        }
        return "The following part of your input was truncated because CLIP can only handle sequences up to "
                + maxLength() + " tokens: " + quoted;
    }
}

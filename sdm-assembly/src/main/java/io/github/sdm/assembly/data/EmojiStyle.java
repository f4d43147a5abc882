package io.github.sdm.assembly.data;

/** The two emoji artwork sets the dataset reads: the npm package's set name and the caption's style word. */
public enum EmojiStyle {
    TWEMOJI("twitter", "twemoji"),
    NOTO("google", "noto");

    private final String setName;
    private final String captionWord;

    EmojiStyle(String setName, String captionWord) {
        this.setName = setName;
        this.captionWord = captionWord;
    }

    /** The set's name in {@code emoji-datasource-<set>}, {@code has_img_<set>} and {@code img/<set>/64/}. */
    public String setName() {
        return setName;
    }

    /** The word captions use for this style ("twemoji", "noto"). */
    public String captionWord() {
        return captionWord;
    }

    /** The npm package folder {@code scripts/fetch-emoji} unpacks this style into. */
    public String packageFolder() {
        return "emoji-datasource-" + setName;
    }
}

package io.github.sdm.core;

/** What a generation starts from. */
public enum Mode {
    /** Pure noise. */
    TXT2IMG,
    /** An init image, noised to the request's strength. */
    IMG2IMG
}

package io.github.sdm.unet.lora;

/** The network a LoRA layer adapts, with the key prefixes each file layout gives it. */
public enum LoraNetwork {
    UNET("lora_unet_", "unet."),
    TEXT_ENCODER("lora_te_", "text_encoder.");

    private final String kohyaPrefix;
    private final String diffusersPrefix;

    LoraNetwork(String kohyaPrefix, String diffusersPrefix) {
        this.kohyaPrefix = kohyaPrefix;
        this.diffusersPrefix = diffusersPrefix;
    }

    /** {@code lora_unet_} / {@code lora_te_}: the kohya/A1111 prefix before the underscored part path. */
    public String kohyaPrefix() {
        return kohyaPrefix;
    }

    /** {@code unet.} / {@code text_encoder.}: the diffusers/PEFT prefix before the part name. */
    public String diffusersPrefix() {
        return diffusersPrefix;
    }
}

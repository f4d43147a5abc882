/**
 * The CLIP text encoder of Stable Diffusion: Hugging Face's {@code CLIPTextModel} on the {@code nn}
 * framework, with the checkpoint's key names ({@code text_model.*}) as part names.
 *
 * <p>{@link io.github.sdm.unet.djl.clip.CLIPTextModel#load(java.nio.file.Path, ai.djl.ndarray.NDManager)} reads a
 * {@code text_encoder/} folder ({@code config.json}, {@code model.safetensors});
 * {@link io.github.sdm.unet.djl.clip.CLIPTextModel#encode} maps token ids {@code [B, 77]} to
 * {@code last_hidden_state [B, 77, hidden]}, the UNet's {@code encoder_hidden_states}. SD 1.x uses OpenAI's
 * ViT-L/14 ({@code quick_gelu}), SD 2.x OpenCLIP's ViT-H/14 converted to this layout ({@code gelu}, 23 layers).
 */
package io.github.sdm.unet.djl.clip;

"""Export a diffusers SD 1.x folder (e.g. one `sdm make-model` wrote) to an ONNX export folder that sdm's onnx
backend (and diffusers' OnnxStableDiffusionPipeline) loads: model_index.json, text_encoder/, unet/ (+ weights.pb),
vae_encoder/, vae_decoder/ model.onnx, tokenizer/, scheduler/.

A developer tool for timing sdm against ONNX Runtime on the same weights (docs/benchmarks.md), not a project
dependency. The UNet and the VAE decoder come from ../shared/tools/onnx-peer/export_onnx.py (run as it is); this
script adds what that one leaves out:
- text_encoder: CLIP's text transformer written out here in plain torch (transformers is not needed), inputs
  `input_ids` int32 [batch, 77], outputs `last_hidden_state` and `pooler_output`, as diffusers' conversion script;
- vae_encoder: optimum's convention, output `latent_parameters` (mean and log-variance on the channels), so that
  img2img from the export is deterministic;
- model_index.json (OnnxStableDiffusionPipeline), tokenizer/ and scheduler/ copied.

Usage (Debian's python3-torch and python3-onnx, diffusers v0.27.2's src/ and huggingface_hub v0.21.4's src/ and
the onnx-peer shim/ on PYTHONPATH; docs/benchmarks.md has the steps):
  /usr/bin/python3 scripts/export-onnx.py MODEL_DIR OUT_DIR [--peer ../shared/tools/onnx-peer] [--opset 14]
      [--parts unet,vae_decoder,text_encoder,vae_encoder]
"""
import argparse, json, math, shutil, subprocess, sys, time
from pathlib import Path

import torch
import safetensors.torch

ap = argparse.ArgumentParser()
ap.add_argument("model")
ap.add_argument("out")
ap.add_argument("--peer", default=str(Path(__file__).resolve().parent.parent.parent / "shared/tools/onnx-peer"),
                help="the onnx-peer tool folder (default: ../shared/tools/onnx-peer beside the repository)")
ap.add_argument("--opset", type=int, default=14)
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--parts", default="unet,vae_decoder,text_encoder,vae_encoder",
                help="networks to export (default: all; the folder files are written every time)")
a = ap.parse_args()
model, out = Path(a.model), Path(a.out)
parts = a.parts.split(",")
torch.set_grad_enabled(False)
torch.set_num_threads(a.threads)


class ClipTextModel(torch.nn.Module):
    """transformers' CLIPTextModel (pre-norm layers, causal self-attention, quick_gelu), from its config and weights."""

    def __init__(self, config, weights):
        super().__init__()
        self.config = config
        self.w = {k: v.float() for k, v in weights.items() if k.startswith("text_model.") and "position_ids" not in k}
        n = config["max_position_embeddings"]
        self.mask = torch.full((n, n), float("-inf")).triu(1)

    def p(self, name):
        return self.w["text_model." + name]

    def linear(self, x, name):
        return torch.nn.functional.linear(x, self.p(name + ".weight"), self.p(name + ".bias"))

    def norm(self, x, name):
        return torch.nn.functional.layer_norm(x, (self.config["hidden_size"],), self.p(name + ".weight"),
                                              self.p(name + ".bias"), self.config["layer_norm_eps"])

    def forward(self, input_ids):
        ids = input_ids.long()
        batch, length = ids.shape
        x = self.p("embeddings.token_embedding.weight")[ids] + self.p("embeddings.position_embedding.weight")[:length]
        heads = self.config["num_attention_heads"]
        width = self.config["hidden_size"]
        mask = self.mask[:length, :length]
        for i in range(self.config["num_hidden_layers"]):
            layer = "encoder.layers.%d." % i
            h = self.norm(x, layer + "layer_norm1")

            def split(t):
                return t.reshape(batch, length, heads, width // heads).transpose(1, 2)
            q = split(self.linear(h, layer + "self_attn.q_proj") * (width // heads) ** -0.5)
            k = split(self.linear(h, layer + "self_attn.k_proj"))
            v = split(self.linear(h, layer + "self_attn.v_proj"))
            attention = ((q @ k.transpose(-1, -2)) + mask).softmax(dim=-1) @ v
            x = x + self.linear(attention.transpose(1, 2).reshape(batch, length, width), layer + "self_attn.out_proj")
            h = self.linear(self.norm(x, layer + "layer_norm2"), layer + "mlp.fc1")
            assert self.config["hidden_act"] == "quick_gelu", self.config["hidden_act"]
            x = x + self.linear(h * torch.sigmoid(1.702 * h), layer + "mlp.fc2")
        x = self.norm(x, "final_layer_norm")
        # SD 1.x configs (eos_token_id 2) pool at the highest token id, CLIP's end-of-text token
        pooled = x[torch.arange(batch), ids.argmax(dim=-1)]
        return x, pooled


def export(module, args, path, inputs, outputs, axes):
    path.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    torch.onnx.export(module, args, f=path.as_posix(), input_names=inputs, output_names=outputs, dynamic_axes=axes,
                      do_constant_folding=True, opset_version=a.opset)
    print("exported %s in %.1f s" % (path, time.perf_counter() - start), flush=True)


started = time.perf_counter()
# the UNet and VAE decoder: the peer tool's export, unchanged (its own process: the UNet peaks at about 12 GB)
peer_parts = [p for p in ("unet", "vae_decoder") if p in parts]
if peer_parts:
    subprocess.run([sys.executable, str(Path(a.peer) / "export_onnx.py"), str(model), str(out), "--opset",
                    str(a.opset), "--parts", ",".join(peer_parts), "--threads", str(a.threads)], check=True)

if "text_encoder" in parts:
    config = json.loads((model / "text_encoder" / "config.json").read_text())
    text = ClipTextModel(config, safetensors.torch.load_file(str(model / "text_encoder" / "model.safetensors"))).eval()
    ids = torch.full((2, config["max_position_embeddings"]), 49407, dtype=torch.int32)
    ids[:, 0] = 49406
    export(text, (ids,), out / "text_encoder" / "model.onnx", ["input_ids"], ["last_hidden_state", "pooler_output"],
           {"input_ids": {0: "batch", 1: "sequence"}, "last_hidden_state": {0: "batch", 1: "sequence"},
            "pooler_output": {0: "batch"}})
    del text

from diffusers import AutoencoderKL  # noqa: E402 (after the UNet's process, to keep this one's memory low)


class VaeEncoderParameters(torch.nn.Module):
    """The KL VAE's encoder up to its distribution's parameters: what optimum exports as latent_parameters."""

    def __init__(self, vae):
        super().__init__()
        self.vae = vae

    def forward(self, sample):
        return self.vae.quant_conv(self.vae.encoder(sample))


if "vae_encoder" in parts:
    vae = AutoencoderKL.from_pretrained(str(model / "vae")).eval()
    export(VaeEncoderParameters(vae), (torch.randn(1, 3, 512, 512),), out / "vae_encoder" / "model.onnx", ["sample"],
           ["latent_parameters"], {"sample": {0: "batch", 2: "height", 3: "width"}})
    del vae

for folder in ("tokenizer", "scheduler"):
    shutil.copytree(model / folder, out / folder, dirs_exist_ok=True)
scheduler = json.loads((model / "model_index.json").read_text()).get("scheduler", ["diffusers", "PNDMScheduler"])
index = {"_class_name": "OnnxStableDiffusionPipeline", "_diffusers_version": "0.27.2",
         "text_encoder": ["diffusers", "OnnxRuntimeModel"], "unet": ["diffusers", "OnnxRuntimeModel"],
         "vae_encoder": ["diffusers", "OnnxRuntimeModel"], "vae_decoder": ["diffusers", "OnnxRuntimeModel"],
         "tokenizer": ["transformers", "CLIPTokenizer"], "scheduler": scheduler,
         "safety_checker": [None, None], "feature_extractor": [None, None], "requires_safety_checker": False}
(out / "model_index.json").write_text(json.dumps(index, indent=1) + "\n")
print("wrote %s in %.0f s" % (out, time.perf_counter() - started), flush=True)

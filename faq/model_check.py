"""Is the trained model current? It must have been trained on the corpus as it is now (the hash of
its training batches); an installed copy has no corpus to compare with. Used by ``python -m faq check``
and ``python -m bot check``."""

from __future__ import annotations

from pathlib import Path

from faq.classifier import load_model
from faq.corpus import corpus_hash, load_corpus
from faq.yamlfile import DataFileError


def check_model(model_path: Path, corpus_dir: Path, entry_ids: set[str], decline_ids: set[str]) -> str:
    """A one-line summary of the model at ``model_path``; DataFileError when it is unreadable or stale."""
    model = load_model(model_path)
    if not corpus_dir.is_dir():
        return f"{model_path.name}: not compared with a corpus ({corpus_dir} is not here, as in an installed copy)"
    batches = load_corpus(corpus_dir, entry_ids, decline_ids)
    now, trained = corpus_hash(batches), model.meta.get("corpus_sha256")
    if now != trained:
        raise DataFileError([f"{model_path}: is stale: trained on corpus {str(trained)[:12]}, the corpus is now "
                             f"{now[:12]}; rebuild it with `python -m faq train`"])
    n = sum(len(b.messages) for b in batches)
    return (f"current (corpus {now[:12]}: {len(batches)} batches, {n} messages; "
            f"{model_path.stat().st_size / 1e6:.1f} MB)")

"""The labels the corpus and the conversations use, listed once (faq.corpus, faq.dialogues)."""

from __future__ import annotations

OUT = "out"
SPLITS = ("train", "heldout")
SAFETY = ("emergency", "crisis")
FEELINGS = ("fear", "shock", "grief", "anger", "loneliness", "relief", "gratitude")
SMALLTALK = ("greeting", "thanks", "bye", "presence", "how_are_you", "who", "capabilities", "ok",
             "introduction", "question")

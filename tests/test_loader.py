"""The knowledge-base loader on the real FAQ and on broken copies of it."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import pytest
import yaml

from faq import KnowledgeBaseError, load_knowledge_base
from faq.loader import DATA_DIR, split_source


def _write(tmp_path: Path, data) -> Path:
    shutil.copy(DATA_DIR / "source.txt", tmp_path / "source.txt")
    path = tmp_path / "faq.yaml"
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def raw():
    return yaml.safe_load((DATA_DIR / "faq.yaml").read_text(encoding="utf-8"))


def _problems(path: Path) -> list[str]:
    with pytest.raises(KnowledgeBaseError) as info:
        load_knowledge_base(path)
    return info.value.problems


def test_real_knowledge_base_loads_into_immutable_objects(kb):
    assert len(kb.entries) >= 15
    assert kb.source.publisher == "Mayo Clinic"
    assert kb.source.url.startswith("https://www.mayoclinic.org/")
    entry = kb.get("risk-factors")
    assert isinstance(entry.questions, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.answer = "changed"  # type: ignore[misc]


def test_every_source_quote_is_found_verbatim_in_the_source_copy(kb):
    content, furniture = split_source(kb.source_text)
    for entry in kb.entries:
        for quote in entry.source:
            assert " ".join(quote.split()) in content, (entry.id, quote)


def test_source_copy_is_clean_utf8_with_the_restored_lists(kb):
    assert "Â" not in kb.source_text
    assert "© 1998-2024" in kb.source_text
    for item in ("Losing weight without trying", "Skin rash", "Neurofibromatosis 1", "Pheochromocytoma"):
        assert item in kb.source_text


def test_lost_lists_are_complete_in_the_answers(kb):
    lists = {
        "symptoms": ["pain from a growing tumor", "lump that can be felt under the skin",
                     "unusually tired", "losing weight without trying"],
        "functional-symptoms": ["skin flushing", "diarrhea", "frequent urination", "increased thirst",
                                "dizziness", "shakiness", "skin rash"],
        "risk-factors": ["(MEN 1)", "(MEN 2)", "von Hippel-Lindau disease", "tuberous sclerosis",
                         "neurofibromatosis 1"],
        "types": ["adrenal cancer", "carcinoid tumors", "Merkel cell carcinoma",
                  "pancreatic neuroendocrine tumors", "paraganglioma", "pheochromocytoma"],
    }
    for entry_id, items in lists.items():
        answer = kb.get(entry_id).answer.casefold()
        for item in items:
            assert item.casefold() in answer, (entry_id, item)


def test_no_answer_quotes_page_furniture(kb):
    furniture = ["Replies", "endorse", "Advertising", "best-sellers", "tax-deductible", "MFMER", "©", "Â"]
    for entry in kb.entries:
        for word in furniture:
            assert word not in entry.answer, (entry.id, word)


def test_related_ids_all_exist(kb):
    for entry in kb.entries:
        assert entry.related, entry.id
        for rel in entry.related:
            assert rel in kb and rel != entry.id


def test_duplicate_id_is_reported(tmp_path, raw):
    raw["entries"][1]["id"] = raw["entries"][0]["id"]
    problems = _problems(_write(tmp_path, raw))
    assert any("entry 'what-are-nets' field 'id': duplicate id" in p for p in problems)


def test_empty_questions_and_answer_are_reported(tmp_path, raw):
    raw["entries"][0]["questions"] = []
    raw["entries"][1]["answer"] = "   "
    raw["entries"][2]["questions"].append("")
    problems = _problems(_write(tmp_path, raw))
    assert any("entry 'what-are-nets' field 'questions': empty list" in p for p in problems)
    assert any("entry 'neuroendocrine-cells' field 'answer': missing or empty" in p for p in problems)
    assert any(re.search(r"entry 'how-common' field 'questions' item \d+: empty or not text", p) for p in problems)


def test_when_reported_must_name_another_entry(tmp_path, raw):
    raw["entries"][0]["when_reported"] = "no-such-entry"
    raw["entries"][1]["when_reported"] = raw["entries"][1]["id"]
    raw["entries"][2]["when_reported"] = ["a list"]
    problems = _problems(_write(tmp_path, raw))
    assert any("entry 'what-are-nets' field 'when_reported': unknown entry id 'no-such-entry'" in p for p in problems)
    assert any("entry 'neuroendocrine-cells' field 'when_reported': an entry cannot point to itself" in p
               for p in problems), problems
    assert any("entry 'how-common' field 'when_reported': must be an entry id" in p for p in problems), problems


def test_unknown_related_id_is_reported(tmp_path, raw):
    raw["entries"][0]["related"] = ["no-such-entry"]
    problems = _problems(_write(tmp_path, raw))
    assert any("entry 'what-are-nets' field 'related': unknown entry id 'no-such-entry'" in p for p in problems)


def test_quote_not_in_source_is_reported(tmp_path, raw):
    raw["entries"][3]["source"] = ["NETs are caused by eating sugar."]
    problems = _problems(_write(tmp_path, raw))
    assert any("entry 'where-in-body' field 'source': quote 'NETs are caused by eating sugar.' not found" in p
               for p in problems)


def test_quote_from_page_furniture_is_reported(tmp_path, raw):
    raw["entries"][3]["source"] = ["Mayo Clinic does not endorse companies or products."]
    problems = _problems(_write(tmp_path, raw))
    assert any("entry 'where-in-body' field 'source'" in p and "page furniture" in p for p in problems)


def test_answer_quoting_page_furniture_is_reported(tmp_path, raw):
    raw["entries"][0]["answer"] += " Advertising revenue supports our not-for-profit mission."
    problems = _problems(_write(tmp_path, raw))
    assert any("entry 'what-are-nets' field 'answer': quotes page furniture" in p for p in problems)


def test_same_phrasing_under_two_entries_is_reported(tmp_path, raw):
    raw["entries"][1]["questions"].append("what are NEUROENDOCRINE tumors ??")
    problems = _problems(_write(tmp_path, raw))
    assert any("entry 'neuroendocrine-cells' field 'questions'" in p and "also under entry 'what-are-nets'" in p
               for p in problems)


def test_all_problems_are_reported_at_once(tmp_path, raw):
    raw["entries"][0]["related"] = ["nowhere"]
    raw["entries"][2]["answer"] = ""
    raw["entries"][4]["source"] = ["not in the page at all"]
    raw["entries"][5]["colour"] = "blue"
    problems = _problems(_write(tmp_path, raw))
    assert len(problems) == 4
    assert any("field 'colour': unknown field" in p for p in problems)


def test_malformed_yaml_names_file_and_line(tmp_path):
    path = _write(tmp_path, "source:\n  title: x\nentries:\n  - id: a\n    questions: [unclosed\n")
    problems = _problems(path)
    assert len(problems) == 1
    assert str(path) in problems[0]
    assert "line 6" in problems[0] and "malformed YAML" in problems[0]


def test_missing_file_is_reported(tmp_path):
    problems = _problems(tmp_path / "nope.yaml")
    assert problems == [f"{tmp_path / 'nope.yaml'}: file not found"]


def test_wrong_top_level_type_is_reported(tmp_path):
    problems = _problems(_write(tmp_path, "- just\n- a list\n"))
    assert "top level" in problems[0]


def test_missing_source_copy_is_reported(tmp_path, raw):
    raw["source"]["file"] = "missing.txt"
    problems = _problems(_write(tmp_path, raw))
    assert any("source.file" in p and "missing.txt" in p for p in problems)

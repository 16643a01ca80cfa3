"""The masking rules (bot/data/masking.yaml): what identifies a person goes, medical words stay.

Examples written from general knowledge of how people write names, addresses and numbers;
the blind PII set (written by someone who has not read the rules) is run separately.
"""

from __future__ import annotations

import re

import pytest

from bot.masking import DEFAULT_MASKING_PATH, Masker, parse_rules
from faq.yamlfile import DataFileError, read_yaml

MASKER = Masker()


@pytest.mark.parametrize("text, hidden", [
    # names without a title
    ("I am Sarah and I was diagnosed last month", ["Sarah"]),
    ("hi im priya, what is a NET", ["priya"]),
    ("my husband John has a pancreatic NET", ["John"]),
    ("my husband, Dave, was told it has spread", ["Dave"]),
    ("our son's name is Oliver and he is 12", ["Oliver"]),
    ("my daughter Grace (14) has carcinoid", ["Grace"]),
    ("my kids Tom and Lucy are worried", ["Tom", "Lucy"]),
    ("Geoff, my husband, forgets things", ["Geoff"]),
    ("This is Anne-Marie O'Neill, writing for my mum", ["Anne-Marie", "O'Neill"]),
    ("sarah said I should ask you", ["sarah"]),
    ("Thanks so much, Bernadette", ["Bernadette"]),
    ("Many thanks\nKwame Mensah", ["Kwame", "Mensah"]),
    ("Hi Margaret, is it hereditary?", ["Margaret"]),
    ("my consultant Mr Abdul-Rahman said so", ["Abdul-Rahman"]),
    ("nurse Siobhan explained the scan", ["Siobhan"]),
    ("my name is sarah jones and my husband has a NET", ["sarah", "jones"]),
    ("Dr. A. Patel said it was slow growing", ["Patel"]),
    ("my father Hendrik van der Berg has carcinoid", ["Hendrik", "Berg"]),
    ("my daughter Chloé has a NET and my son Björn too", ["Chloé", "Björn"]),
    ("my partner sam has carcinoid", ["sam"]),
    ("hubby Steve was diagnosed", ["Steve"]),
    ("Dave and I are scared", ["Dave"]),
    ("I'm Seán Ó Murchú from Cork, phone 087 123 4567", ["Seán", "Murchú", "Cork", "4567"]),
    ("I'm Marta Kowalczyk, ul. Marszałkowska 84, 00-514 Warszawa", ["Marta", "Marszałkowska", "00-514", "Warszawa"]),
    ("we live on Maple Avenue in Toronto, M5V 2T6", ["Maple", "Toronto", "M5V"]),
    ("my other half, Gaz, says hi", ["Gaz"]),
    # addresses and postcodes
    ("I live at 12 Baker Street, London NW1 6XE", ["12 Baker", "NW1 6XE"]),
    ("send it to flat 3, 45 high road, leeds ls1 4dy please", ["45 high road", "ls1 4dy"]),
    ("we are at 1600 Pennsylvania Avenue NW, Washington, DC 20500", ["1600 Pennsylvania", "20500"]),
    ("our zip is 55905-0001", ["55905"]),
    ("Eircode D02 X285", ["X285"]),
    ("postal code K1A 0B1 in Ottawa", ["K1A 0B1"]),
    ("postcode 1012 AB", ["1012 AB"]),
    ("Sydney NSW 2000", ["NSW 2000"]),
    ("we live in Milton Keynes and the hospital is far", ["Milton Keynes"]),
    ("I'm in Manchester this week", ["Manchester"]),
    ("she lives on Harley Street now", ["Harley Street"]),
    ("Hauptstraße 5, 10115 Berlin", ["Hauptstraße 5", "10115"]),
    ("12 rue de la Paix, 75002 Paris", ["rue de la Paix", "75002"]),
    ("Calle Mayor 5, Madrid", ["Calle Mayor"]),
    ("Rose Cottage, Church Lane, Little Whinging", ["Rose Cottage", "Church Lane", "Whinging"]),
    # e-mails written out
    ("email sarah(at)gmail(dot)com", ["sarah", "gmail"]),
    ("write to sarah dot jones at hotmail dot co dot uk", ["jones", "hotmail"]),
    ("it's j.smith [at] nhs [dot] net", ["j.smith", "nhs"]),
    ("reach me at kwame at yahoo", ["kwame", "yahoo"]),
    # identifying numbers and dates of birth
    ("my NHS number is 485 777 3456", ["485 777 3456"]),
    ("hospital number RX1234567", ["RX1234567"]),
    ("MRN: K123456", ["K123456"]),
    ("my NI number is QQ 12 34 56 C", ["QQ 12 34 56 C"]),
    ("DOB 12/03/1961", ["1961"]),
    ("born on the 3rd of May 1958", ["1958", "May"]),
    ("I was born in March 1961", ["March 1961"]),
    ("my birthday is on the 12th of March", ["12th"]),
    ("date of birth: 1961-03-12", ["1961"]),
    # phones in several countries' formats
    ("call me on +44 20 7946 0958", ["7946"]),
    ("my mobile is 07700 900123", ["900123"]),
    ("ring (555) 123-4567 or +1-555-123-4567", ["123-4567"]),
    ("+33 6 12 34 56 78 in France", ["12 34 56"]),
    ("+49 (0)30 1234567", ["1234567"]),
    ("+61 2 9876 5432", ["9876"]),
    ("+91 98765 43210", ["98765"]),
    ("030/1234567", ["1234567"]),
    ("phone 01632 960123 or mobile 07700-900-456", ["960123", "900-456"]),
])
def test_what_identifies_is_masked(text, hidden):
    masked = MASKER.mask(text)
    for part in hidden:
        assert part not in masked, (text, masked)
    assert re.search(r"\[(name|address|email|number|date|phone)\]", masked)


MEDICAL = ["MRI", "Ga-68", "5-HIAA", "Ki-67", "CgA", "PRRT", "octreotide", "Octreotide", "lanreotide", "Lutathera",
           "DOTATATE", "PET", "CT", "Whipple", "Cushing's", "Zollinger-Ellison", "MEN1", "Sandostatin", "Lu-177",
           "chromogranin", "Ki67", "Crohn's", "Addison's"]


@pytest.mark.parametrize("text", [
    "my MRI and Ga-68 PET scan showed a 2 cm lesion, 5-HIAA was high, Ki-67 3%, CgA 200",
    "I'm on Octreotide and starting PRRT with Lutathera next month",
    "my husband has Cushing's and a Zollinger-Ellison tumour, is it MEN1?",
    "Dr said the DOTATATE scan and CT were clear after the Whipple",
    "my mum had 4 cycles of Lu-177 and 28 days of lanreotide",
    "chromogranin and Ki67 went up after 2 years on Sandostatin",
    "I have Crohn's and Addison's, can I have PRRT?",
    "I am 45, diagnosed in March 2024, stage 4, grade 2",
    "I'm worried, is it hereditary? my GP said it is rare",
    "I lost 2 st in weight and walk 3 miles every day",
    "took 3 cycles of PRRT and 4 doses of lanreotide every 28 days",
    "what are the symptoms of carcinoid syndrome",
    "looking at me scared, what does a NET do",
    "I'm not tired and I haven't lost weight, my face goes red and I feel dizzy",
    "AMA discharge and an ED visit, I'm in pain and in remission",
    "baby Aspirin daily, child Pugh score B, GP Referral came through",
    "It's Cabozantinib, not sunitinib, and Lanreotide and I get on",
])
def test_medical_words_and_questions_stay(text):
    masked = MASKER.mask(text)
    for word in MEDICAL:
        if word in text:
            assert word in masked, (text, masked)
    assert "[address]" not in masked and "[email]" not in masked and "[phone]" not in masked, masked


def test_the_rules_file_is_checked_naming_the_entry_and_field(tmp_path):
    path = tmp_path / "masking.yaml"
    raw = read_yaml(DEFAULT_MASKING_PATH)
    raw["rules"][0]["mask"] = "secret"
    raw["rules"][1]["pattern"] = "(unclosed"
    raw["rules"][2]["pattern"] = "<<no_such_list>>"
    raw["lists"]["tlds"].append(False)   # a bare `no` in YAML
    with pytest.raises(DataFileError) as err:
        parse_rules(raw, path)
    text = "\n".join(err.value.problems)
    assert f"{path}: rule 1 (e-mail address): mask: must be one of" in text
    assert "rule 2 (e-mail spelled out" in text and "pattern: not a valid regular expression" in text
    assert "rule 3 (web link with a scheme or www): pattern: unknown list or macro <<no_such_list>>" in text
    assert "lists.tlds, item" in text and "quote it" in text


def test_a_broken_rules_file_stops_the_bot_with_one_message(tmp_path):
    import subprocess
    import sys

    from tests.conftest import ROOT

    bad = tmp_path / "masking.yaml"
    bad.write_text("rules:\n  - {name: x, mask: name, pattern: '(oops'}\n", encoding="utf-8")
    config = tmp_path / "c.yaml"
    config.write_text(f"data:\n  masking: {bad}\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "bot", "--config", str(config), "check"], capture_output=True,
                            text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 2
    assert f"{bad}: rule 1 (x): pattern: not a valid regular expression" in result.stderr
    assert "Traceback" not in result.stderr

"""Safety on Telegram, end to end: a command followed by an emergency gets emergency guidance."""

from __future__ import annotations

CHAT = 5552


def test_a_command_with_an_emergency_gets_emergency_guidance(running_bot, emulator):
    emulator.send_text(CHAT, "/help my husband is unconscious")
    emulator.send_text(CHAT, "can a NET cause chest pain?")
    sent = emulator.wait_for(2, CHAT)
    safety = sent[0].params["text"]
    assert safety.startswith("<b>If this is an emergency, call your local emergency number now")
    assert "Commands:" not in safety                      # not the help text
    general = sent[1].params["text"]
    assert general.startswith("<b>If you have chest pain or pressure now, call your local emergency number")
    assert "\n\n" in general and len(general.split("\n\n")) >= 2   # the answer or fallback follows

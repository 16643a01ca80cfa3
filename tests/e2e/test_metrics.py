"""Prometheus metrics of the running bot, scraped over HTTP on 127.0.0.1 as Prometheus would.

Off by default; when on, every outcome is counted and nothing a patient wrote, nor a user or
chat id, appears anywhere in the exposition.
"""

from __future__ import annotations

import re
import time

import httpx
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.harness import start_bot

USER = 777_123_456
MESSAGES = {   # what the patient sends -> the outcome it is counted under
    "what causes NETs?": "answer",
    "how much does a scan cost": "decline",
    "I have crushing chest pain right now": "safety_emergency",
    "I want to kill myself": "safety_crisis",
    "hello": "smalltalk",
    "/help": "command",
}


def scrape(port: int) -> dict[tuple[str, tuple], float]:
    body = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(body) for s in family.samples}


def metrics_port(bot) -> int:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        found = re.search(r"metrics on http://127\.0\.0\.1:(\d+)/metrics", bot.logs())
        if found:
            return int(found.group(1))
        time.sleep(0.1)
    raise AssertionError(bot.logs())


def test_metrics_are_off_by_default(running_bot):
    assert "metrics on" not in running_bot.logs()


def test_outcomes_latency_inbox_retries_and_flood_drops_without_any_private_label(emulator, tmp_path):
    emulator.inject("sendMessage", "500", times=1)   # one retried send
    bot = start_bot(emulator, tmp_path, extra_config="metrics:\n  enabled: true\n  port: 0\n",
                    telegram_config="  flood:\n    messages: 10\n    per_seconds: 60\n    mute_seconds: 60\n")
    try:
        port = metrics_port(bot)
        before = scrape(port)
        assert before[("netfaq_messages_total", (("outcome", "answer"),))] == 0
        assert ("netfaq_inbox_pending", ()) in before
        for i, text in enumerate(MESSAGES):
            emulator.send_text(USER, text)
            assert len(emulator.wait_for(i + 1, USER)) == i + 1
        emulator.send_sticker(USER)
        emulator.wait_for(len(MESSAGES) + 1, USER)
        for _ in range(6):   # past the flood budget of 10: one notice, then drops
            emulator.send_text(USER, "hello")
        emulator.wait_for(len(MESSAGES) + 5, USER)
        time.sleep(1.0)
        body = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
        after = scrape(port)
    finally:
        assert bot.stop() == 0

    def count(outcome: str) -> float:
        return after[("netfaq_messages_total", (("outcome", outcome),))]

    for outcome in set(MESSAGES.values()):
        assert count(outcome) >= 1, outcome
    assert count("non_text") == 1
    assert after[("netfaq_reply_seconds_count", ())] == sum(count(o) for o in
                                                            ("answer", "hedge", "ask", "decline", "not_english",
                                                             "smalltalk", "command", "safety_emergency",
                                                             "safety_crisis", "non_text"))
    assert after[("netfaq_send_retries_total", ())] >= 1
    assert after[("netfaq_send_failures_total", ())] == 0
    assert after[("netfaq_flood_drops_total", (("kind", "message"),))] >= 1
    assert after[("netfaq_inbox_pending", ())] == 0
    # Nothing private: no text the patient wrote, no user or chat id, no token.
    for secret in (str(USER), "chest", "kill", "scan", "causes", "fake-token"):
        assert secret not in body, secret


def test_a_taken_port_is_one_clear_message_and_exit_2(emulator, tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        bot = start_bot(emulator, tmp_path, extra_config=f"metrics:\n  enabled: true\n  port: {port}\n",
                        wait_ready=False)
        assert bot.process.wait(30) == 2
    logs = bot.logs()
    assert f"The bot cannot start: metrics.port {port} on 127.0.0.1: Address already in use" in logs
    assert "Traceback" not in logs


def test_a_reply_failing_longer_than_send_retry_seconds_counts_one_failure_and_is_still_sent(emulator, tmp_path):
    # Replies are retried until sent (issue 17): the failure counter marks the one ERROR line.
    bot = start_bot(emulator, tmp_path, extra_config="metrics:\n  enabled: true\n  port: 0\n",
                    telegram_config="  send_retry_seconds: 2\n")
    try:
        port = metrics_port(bot)
        # The fault starts once the bot is up: on a loaded machine a slow start used to outlast it.
        emulator.inject("sendMessage", "429", seconds=4, retry_after=1)
        emulator.send_text(USER, "what causes NETs?")
        assert len(emulator.wait_for(1, USER, timeout=30)) == 1
        time.sleep(0.5)
        after = scrape(port)
    finally:
        assert bot.stop() == 0
    assert bot.logs().count("sending a reply has failed for") == 1
    assert after[("netfaq_send_failures_total", ())] == 1
    assert after[("netfaq_send_retries_total", ())] >= 2
    assert after[("netfaq_messages_total", (("outcome", "answer"),))] == 1

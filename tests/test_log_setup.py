"""python-telegram-bot's own records of unreadable updates keep only the error's type."""

from __future__ import annotations

import io
import logging

from bot.config import LoggingSettings
from bot.log_setup import setup_logging


def test_raw_update_data_logged_by_ptb_is_replaced():
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        check_raw_update_data_is_replaced()
    finally:
        root.handlers[:], root.level = saved[0], saved[1]


def check_raw_update_data_is_replaced():
    out = io.StringIO()
    setup_logging(LoggingSettings(level="DEBUG", log_message_text=True), "123:tok", logging.StreamHandler(out))
    raw = [{"update_id": 5, "message": {"text": "my secret words", "from": {"id": 987654321}}}]
    try:
        raise KeyError("date")
    except KeyError as exc:
        logging.getLogger("telegram.Bot").critical("Error while parsing updates! Received data was %r", raw,
                                                   exc_info=exc)
        logging.getLogger("telegram.ext.Updater").critical(
            "Something went wrong processing the data received from Telegram. Received data was *not* "
            "processed!", exc_info=exc)
    logging.getLogger("telegram.ext").debug("Processing update %s", raw)   # PTB's debug lines: held back
    text = out.getvalue()
    assert text.count("could not read an update (KeyError); its data is not logged") == 2
    assert "my secret words" not in text and "987654321" not in text and "Traceback" not in text


def test_json_format_is_one_object_a_line_with_secrets_masked():
    import json

    root = logging.getLogger()
    saved = root.handlers[:], root.level
    out = io.StringIO()
    try:
        setup_logging(LoggingSettings(level="INFO", format="json"), "123:tok", logging.StreamHandler(out),
                      ["hook-secret"])
        logging.getLogger("bot.telegram").info("started with %s and %s", "123:tok", "hook-secret")
        try:
            raise ValueError("boom 123:tok")
        except ValueError:
            logging.getLogger("bot.telegram").exception("failed")
    finally:
        root.handlers[:], root.level = saved[0], saved[1]
    lines = out.getvalue().splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 2
    assert records[0]["message"] == "started with [REDACTED] and [REDACTED]"
    assert records[0]["level"] == "INFO" and records[0]["logger"] == "bot.telegram"
    assert records[0]["time"].endswith("+00:00")
    assert "ValueError: boom [REDACTED]" in records[1]["exception"]
    assert "123:tok" not in out.getvalue()

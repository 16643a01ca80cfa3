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

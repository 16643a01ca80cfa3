"""The Telegram adapter: python-telegram-bot v22 around the same conversation core.

One module a job: ``startup`` (start, stop, exit codes), ``polling`` and ``webhook``
(the intake), ``inbox`` (durable updates), ``processing`` (done or pending),
``handlers`` (what each update gets), ``flood_guard``, ``sending`` and ``retry``,
``channel`` (the core's replies as Telegram messages), ``render`` (HTML and buttons),
``buttons`` (callback data), ``feedback`` (the rating row's taps), ``addressing`` and ``chat_locks``, ``monitor`` (health probes,
systemd's watchdog, the status file for ``python -m bot health``).
"""

from bot.telegram.startup import run_telegram

__all__ = ["run_telegram"]

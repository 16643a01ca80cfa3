"""Prometheus metrics of the Telegram bot: off unless ``metrics.enabled``, served on a loopback port.

prometheus_client (the library Prometheus' own scrapers and docs expect) keeps the counters
and serves the text exposition from a thread, so a scrape never waits for the event loop.

Labels name only kinds of things (an outcome, a kind of flood drop), never a message's text,
a user or a chat: health data must not leave the bot through its metrics either.
Until ``enable`` is called every function here does nothing, so the console and the tests
that do not ask for metrics never import prometheus_client.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.replies import Reply

log = logging.getLogger("bot.metrics")

# Every outcome a message can have; each is exported from the start (at 0), as Prometheus advises.
OUTCOMES = ("answer", "hedge", "ask", "decline", "not_english", "smalltalk", "command",
            "safety_emergency", "safety_crisis", "non_text")
FLOOD_KINDS = ("message", "tap")
# Reply latency, seconds: from the update reaching its handler to the reply sent (waits for
# the chat's earlier messages and Bot API retries included).
LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120)


def outcome_of(reply: Reply) -> str:
    """The ``outcome`` label of a reply."""
    from bot.replies import Kind

    if reply.kind is Kind.ANSWER:
        return "hedge" if reply.match is not None and getattr(reply.match, "hedged", False) else "answer"
    if reply.kind is Kind.CLARIFY:
        return "ask"
    if reply.kind is Kind.FALLBACK:
        return "not_english" if reply.language else "decline"
    if reply.kind is Kind.SAFETY:
        return "safety_crisis" if reply.tier == "crisis" else "safety_emergency"
    return reply.kind.value   # smalltalk, command


@dataclass
class _Metrics:
    registry: Any
    messages: Any
    safety_lines: Any
    latency: Any
    pending: Any
    oldest: Any
    retries: Any
    failures: Any
    flood: Any
    server: Any = None


_metrics: _Metrics | None = None


def enable() -> Any:
    """Create the metrics (once) and return their registry."""
    global _metrics
    if _metrics is not None:
        return _metrics.registry
    from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, ProcessCollector

    registry = CollectorRegistry()
    ProcessCollector(registry=registry)   # memory, CPU, open files of the bot process
    m = _Metrics(
        registry=registry,
        messages=Counter("netfaq_messages", "Messages answered, by outcome", ["outcome"], registry=registry),
        safety_lines=Counter("netfaq_safety_lines", "Safety lines put above an answer (a general question "
                             "about a serious symptom, or a crisis long past)", registry=registry),
        latency=Histogram("netfaq_reply_seconds", "Seconds from an update reaching its handler to its reply sent",
                          buckets=LATENCY_BUCKETS, registry=registry),
        pending=Gauge("netfaq_inbox_pending", "Updates stored in the inbox and not yet answered", registry=registry),
        oldest=Gauge("netfaq_inbox_oldest_pending_seconds", "Age of the oldest unanswered update in the inbox "
                     "(0 when none)", registry=registry),
        retries=Counter("netfaq_send_retries", "Replies retried after a transient Bot API failure",
                        registry=registry),
        failures=Counter("netfaq_send_failures", "Replies still failing after telegram.send_retry_seconds "
                         "(logged at ERROR; still retried until sent)", registry=registry),
        flood=Counter("netfaq_flood_drops", "Updates dropped by flood control, by kind", ["kind"],
                      registry=registry),
    )
    for outcome in OUTCOMES:
        m.messages.labels(outcome)
    for kind in FLOOD_KINDS:
        m.flood.labels(kind)
    _metrics = m
    return registry


def serve(listen: str, port: int) -> int:
    """Serve /metrics on ``listen``:``port`` (0: any free port) from a daemon thread; the port."""
    from prometheus_client import start_http_server

    enable()
    assert _metrics is not None
    server, _ = start_http_server(port, listen, registry=_metrics.registry)
    _metrics.server = server
    return server.server_port


def stop() -> None:
    if _metrics is not None and _metrics.server is not None:
        _metrics.server.shutdown()
        _metrics.server.server_close()
        _metrics.server = None


def replied(outcome: str, seconds: float, safety_line: bool = False) -> None:
    if _metrics is not None:
        _metrics.messages.labels(outcome).inc()
        _metrics.latency.observe(seconds)
        if safety_line:
            _metrics.safety_lines.inc()


def send_retry() -> None:
    if _metrics is not None:
        _metrics.retries.inc()


def send_failure() -> None:
    if _metrics is not None:
        _metrics.failures.inc()


def flood_drop(kind: str) -> None:
    if _metrics is not None:
        _metrics.flood.labels(kind).inc()


def set_inbox(pending: int, oldest_seconds: float) -> None:
    if _metrics is not None:
        _metrics.pending.set(pending)
        _metrics.oldest.set(oldest_seconds)

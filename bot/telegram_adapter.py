"""The Telegram adapter: python-telegram-bot v22 around the same conversation core.

Long polling by default, a webhook from config. Text goes through the core; the
reply comes back as HTML with suggestions as inline buttons; a tapped button is
handled as if the user had asked that question.
"""

from __future__ import annotations

import asyncio
import html
import logging
import sys
from collections.abc import Awaitable, Callable

from telegram import BotCommand, LinkPreviewOptions, Message, ReplyParameters, Update
from telegram.constants import ChatAction, ChatType, MessageEntityType, ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import (AIORateLimiter, Application, ApplicationBuilder, CallbackQueryHandler, CommandHandler,
                          ContextTypes, MessageHandler, filters)

from bot import feedback
from bot.config import BotConfig
from bot.core import COMMANDS, Conversation
from bot.flood import FloodControl, Verdict
from bot.log_setup import pseudonym, setup_logging
from bot.replies import Reply
from bot.storage import StorageError
from bot.telegram_render import CALLBACK_PREFIX, render
from faq.yamlfile import DataFileError

log = logging.getLogger("bot.telegram")

NON_TEXT = "I can only read text messages. Please type your question about neuroendocrine tumors."
FLOOD_NOTICE = ("You're sending messages faster than I can read them. I'll be back in a moment; "
                "please send your question again then.")
# Transient Bot API failures (5xx, timeouts, refused connections) are retried with backoff
# for about a minute, so a short outage delays replies instead of losing them.
SEND_ATTEMPTS = 10
FIRST_BACKOFF, MAX_BACKOFF = 0.5, 10.0


class _MessageRateLimiter(AIORateLimiter):
    """AIORateLimiter for messages; the typing action is cosmetic and does not spend the budget.

    Counting it would halve the replies a second the bot can send under Telegram's cap.
    """

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):
        if endpoint == "sendChatAction":
            return await callback(*args, **kwargs)
        return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)


class _ChatLocks:
    """One lock per chat so a chat's messages are answered in order while chats run in parallel."""

    def __init__(self) -> None:
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}

    async def run(self, chat_id: int, job: Callable[[], Awaitable[None]]) -> None:
        lock = self._locks.setdefault(chat_id, asyncio.Lock())
        self._users[chat_id] = self._users.get(chat_id, 0) + 1
        try:
            async with lock:
                await job()
        finally:
            self._users[chat_id] -= 1
            if not self._users[chat_id]:  # nobody waiting: forget it, memory stays bounded
                del self._users[chat_id], self._locks[chat_id]


class TelegramBot:
    def __init__(self, conversation: Conversation, config: BotConfig):
        self.conversation = conversation
        self.config = config
        self.flood = FloodControl(config.telegram.flood)
        self.locks = _ChatLocks()

    # -- wiring ------------------------------------------------------------------
    def build(self) -> Application:
        tg = self.config.telegram
        builder: ApplicationBuilder = (
            Application.builder()
            .token(tg.token)
            .rate_limiter(_MessageRateLimiter(max_retries=3))
            .concurrent_updates(64)
            .post_init(self.post_init)
        )
        if tg.base_url:
            builder = builder.base_url(tg.base_url).base_file_url(tg.base_url.rstrip("/") + "/file")
        app = builder.build()
        private_or_group = filters.UpdateType.MESSAGE  # edited messages are ignored
        app.add_handler(CommandHandler(list(COMMANDS), self.on_command, filters=private_or_group))
        app.add_handler(MessageHandler(private_or_group & filters.TEXT & ~filters.COMMAND, self.on_message))
        app.add_handler(MessageHandler(private_or_group & filters.COMMAND, self.on_unknown_command))
        app.add_handler(CallbackQueryHandler(self.on_callback, pattern=f"^{CALLBACK_PREFIX}"))
        app.add_handler(feedback.telegram_handler(self.conversation))
        app.add_handler(MessageHandler(private_or_group & ~filters.TEXT & ~filters.StatusUpdate.ALL,
                                       self.on_message))
        app.add_error_handler(self.on_error)
        return app

    async def post_init(self, app: Application) -> None:
        await app.bot.set_my_commands([BotCommand(name, description) for name, description in COMMANDS.items()])
        log.info("bot @%s ready, %d FAQ entries", app.bot.username, len(self.conversation.kb.entries))

    # -- handlers ----------------------------------------------------------------
    def _addressed_to_us(self, message: Message, bot_id: int, username: str | None) -> tuple[bool, str]:
        """In groups the bot answers only mentions and replies to itself; (addressed?, text without mention)."""
        text = message.text or ""
        if message.chat.type == ChatType.PRIVATE:
            return True, text
        replied = message.reply_to_message
        if replied and replied.from_user and replied.from_user.id == bot_id:
            return True, text
        if username:
            for entity, value in message.parse_entities([MessageEntityType.MENTION]).items():
                if value.lstrip("@").lower() == username.lower():
                    return True, (text[: entity.offset] + text[entity.offset + entity.length:]).strip()
        return False, text

    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Text goes to the core; anything else (stickers, photos, voice…) gets the text-only notice."""
        message = update.effective_message
        addressed, text = self._addressed_to_us(message, context.bot.id, context.bot.username)
        if addressed:
            is_text = message.text is not None
            await self._respond(update, context, text if is_text else None, kind="text" if is_text else "non-text")

    async def on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._respond(update, context, update.effective_message.text, kind="command")

    async def on_unknown_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message.chat.type != ChatType.PRIVATE:
            return  # in a group, another bot's command is none of our business
        await self._respond(update, context, message.text, kind="command")

    async def on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        entry_id = (update.callback_query.data or "")[len(CALLBACK_PREFIX):]
        topic = self.conversation.kb.get(entry_id).topic if entry_id in self.conversation.kb else "/topics"
        await self._respond(update, context, topic, kind="button")

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        # Never the update itself: it holds what the patient wrote.
        update_id = update.update_id if isinstance(update, Update) else "-"
        log.error("error while handling update %s: %s", update_id, type(context.error).__name__,
                  exc_info=context.error)

    # -- the reply path ----------------------------------------------------------
    async def _respond(self, update: Update, context: ContextTypes.DEFAULT_TYPE, text: str | None,
                       kind: str) -> None:
        chat = update.effective_chat
        user = update.effective_user
        who = pseudonym(user.id if user else None)
        verdict = self.flood.check(user.id if user else chat.id)
        if verdict is Verdict.DROP:
            log.info("%s %s dropped (flood)", who, kind)
            return
        reply_to = update.effective_message.message_id if update.effective_message and \
            chat.type != ChatType.PRIVATE and kind != "button" else None

        async def job() -> None:
            if update.callback_query:
                try:
                    await update.callback_query.answer()  # stops the button's spinner; best effort
                except TelegramError as exc:
                    log.warning("could not answer callback query: %s", type(exc).__name__)
            if verdict is Verdict.NOTIFY:
                log.info("%s flood notice", who)
                await self._send_text(context, chat.id, FLOOD_NOTICE, reply_to)
                return
            if text is None:
                await self._send_text(context, chat.id, NON_TEXT, reply_to)
                log.info("%s non-text message", who)
                return
            await self._typing(context, chat.id)
            reply = self.conversation.handle(chat.id, text)
            if self.config.logging.log_message_text:
                log.info("%s wrote %r", who, text)
            log.info("%s %s -> %s %s %s", who, kind, reply.kind.value, reply.entry_id or "-",
                     "-" if reply.score is None else f"{reply.score:.0f}")
            await self._send_reply(context, chat.id, reply, reply_to)

        # Taken before any network call, so a chat's updates are answered in the order they came.
        await self.locks.run(chat.id, job)

    async def _typing(self, context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> None:
        try:
            await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
        except TelegramError as exc:  # cosmetic: never worth delaying the answer
            log.debug("typing action failed: %s", type(exc).__name__)

    async def _send_reply(self, context, chat_id: int, reply: Reply, reply_to: int | None) -> None:
        for i, out in enumerate(render(reply, rate=feedback.wanted(self.conversation))):
            await self._send(context, chat_id, out.html, out.keyboard, reply_to if i == 0 else None)

    async def _send_text(self, context, chat_id: int, text: str, reply_to: int | None) -> None:
        await self._send(context, chat_id, html.escape(text, quote=False), None, reply_to)

    async def _send(self, context, chat_id: int, html_text: str, keyboard, reply_to: int | None) -> None:
        delay = FIRST_BACKOFF
        for attempt in range(1, SEND_ATTEMPTS + 1):
            try:
                await context.bot.send_message(
                    chat_id, html_text, parse_mode=ParseMode.HTML, reply_markup=keyboard,
                    link_preview_options=LinkPreviewOptions(is_disabled=True),
                    reply_parameters=ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None,
                )
                return
            except (BadRequest, Forbidden, InvalidToken):
                raise  # will not get better by retrying; the error handler logs it
            except RetryAfter as exc:
                wait = exc.retry_after if isinstance(exc.retry_after, (int, float)) else exc.retry_after.total_seconds()
                log.warning("flood limit from Telegram, retrying in %.1f s", wait)
                await asyncio.sleep(wait + 0.1)
            except NetworkError as exc:  # 5xx, timeouts, refused connections
                if attempt == SEND_ATTEMPTS:
                    raise
                log.warning("sending failed (%s), attempt %d of %d, retrying in %.1f s",
                            type(exc).__name__, attempt, SEND_ATTEMPTS, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, MAX_BACKOFF)


def _fail(message: str, code: int = 2) -> int:
    print(message, file=sys.stderr)
    return code


def run_telegram(config: BotConfig) -> int:
    tg = config.telegram
    if not tg.token:
        return _fail("No Telegram bot token: set the environment variable TELEGRAM_BOT_TOKEN "
                     "(or telegram.token in the config).")
    if tg.mode == "webhook" and not tg.webhook.url:
        return _fail("telegram.mode is webhook but telegram.webhook.url is not set.")
    setup_logging(config.logging, tg.token)
    try:
        conversation = Conversation.from_config(config)
    except DataFileError as exc:
        return _fail("The bot cannot start:\n" + "\n".join(f"  {p}" for p in exc.problems))
    except StorageError as exc:
        return _fail(f"The bot cannot start:\n  {exc}")
    app = TelegramBot(conversation, config).build()
    try:
        if tg.mode == "webhook":
            w = tg.webhook
            if not w.secret_token:
                log.warning("telegram.webhook.secret_token is not set: anyone who finds the URL can post updates")
            app.run_webhook(listen=w.listen, port=w.port, url_path=w.path, webhook_url=w.url,
                            secret_token=w.secret_token, drop_pending_updates=False)
        else:
            app.run_polling(drop_pending_updates=False, allowed_updates=["message", "callback_query"],
                            bootstrap_retries=0)
    except InvalidToken:
        return _fail("Telegram rejected the bot token. Check TELEGRAM_BOT_TOKEN.")
    except (NetworkError, OSError) as exc:
        return _fail(f"Could not reach the Telegram Bot API ({type(exc).__name__}). Check the network "
                     "and telegram.base_url, then start again.", 1)
    return 0

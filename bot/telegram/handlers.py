"""What the bot does with each kind of update: text to the core, the reply back as HTML.

Commands and typed questions go to the core through the channel (bot/telegram/channel.py);
stickers, photos and the like get the text-only notice; edited messages are ignored. Button
taps are routed by the prefix of their callback data (``CallbackRoutes``, bot/telegram/buttons.py):
"e:" asks for an FAQ entry, "fb:" is answer feedback (bot/telegram/feedback.py), and other parts
add their own prefix with ``routes.add``. Every tap is answered: by its route (which may show a notice), or here
when no route knows it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from bot import metrics, texts
from bot.config import BotConfig
from bot.core import COMMANDS
from bot.log_setup import pseudonym
from bot.telegram.addressing import addressed_text
from bot.telegram.channel import TelegramChannel
from bot.telegram.chat_locks import ChatLocks
from bot.telegram.buttons import CALLBACK_PREFIX, FEEDBACK_PREFIX, entry_from_callback
from bot.telegram.feedback import telegram_route
from bot.telegram.flood_guard import answer_callback
from bot.telegram.sending import ReplyNotSent, Sender, Undeliverable

log = logging.getLogger("bot.telegram")

CallbackRoute = Callable[[Update, ContextTypes.DEFAULT_TYPE, str], Awaitable[None]]


class CallbackRoutes:
    """Callback data "<prefix><payload>" goes to the route registered for that prefix."""

    def __init__(self) -> None:
        self._routes: dict[str, CallbackRoute] = {}

    def add(self, prefix: str, route: CallbackRoute) -> None:
        self._routes[prefix] = route

    def find(self, data: str) -> tuple[CallbackRoute, str] | None:
        for prefix, route in self._routes.items():
            if data.startswith(prefix):
                return route, data[len(prefix):]
        return None


class Handlers:
    def __init__(self, channel: TelegramChannel, config: BotConfig, sender: Sender, locks: ChatLocks,
                 keep_pending: Callable[[int], None]):
        self.channel = channel
        conversation = channel.conversation
        self.config = config
        self.sender = sender
        self.locks = locks
        self.keep_pending = keep_pending
        self.routes = CallbackRoutes()
        self.routes.add(CALLBACK_PREFIX, self.on_entry_button)
        self.routes.add(FEEDBACK_PREFIX, telegram_route(conversation))
        self._entry_ids = [e.id for e in conversation.kb.entries]

    def register(self, app: Application) -> None:
        new_messages = filters.UpdateType.MESSAGE  # edited messages are ignored
        app.add_handler(CommandHandler(list(COMMANDS), self.on_command, filters=new_messages))
        app.add_handler(MessageHandler(new_messages & filters.TEXT & ~filters.COMMAND, self.on_message))
        app.add_handler(MessageHandler(new_messages & filters.COMMAND, self.on_unknown_command))
        app.add_handler(CallbackQueryHandler(self.on_callback))  # every tap, whatever its data
        app.add_handler(MessageHandler(new_messages & ~filters.TEXT & ~filters.StatusUpdate.ALL, self.on_message))
        app.add_error_handler(self.on_error)

    # -- updates -----------------------------------------------------------------
    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Text goes to the core; anything else (stickers, photos, voice…) gets the text-only notice."""
        message = update.effective_message
        text = addressed_text(message, context.bot.id, context.bot.username)
        if text is not None:
            is_text = message.text is not None
            await self.respond(update, context, text if is_text else None, kind="text" if is_text else "non-text")

    async def on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.respond(update, context, update.effective_message.text, kind="command")

    async def on_unknown_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message.chat.type != ChatType.PRIVATE:
            return  # in a group, another bot's command is none of our business
        await self.respond(update, context, message.text, kind="command")

    async def on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        found = self.routes.find(update.callback_query.data or "")
        if found is None:
            await answer_callback(update)
            log.info("%s tap with unknown data ignored", pseudonym(update.effective_user.id))
            return
        route, payload = found
        await route(update, context, payload)

    async def on_entry_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE, payload: str) -> None:
        await answer_callback(update)  # first, so the spinner stops whatever happens next
        if update.effective_chat is None:  # a button under an inline message: no chat to answer in
            return
        entry_id = entry_from_callback(payload, self._entry_ids)
        topic = self.channel.conversation.kb.get(entry_id).topic if entry_id else "/topics"
        await self.respond(update, context, topic, kind="button")

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        # Never the update itself: it holds what the patient wrote.
        update_id = update.update_id if isinstance(update, Update) else "-"
        error = context.error
        if isinstance(error, ReplyNotSent):   # only a stop ends a reply's retries
            if isinstance(update, Update):
                self.keep_pending(update.update_id)
            log.info("reply to update %s not sent (the bot is stopping); kept in the inbox for the next start",
                     update_id)
            return
        if isinstance(error, Undeliverable):  # marked done: retrying can never help
            log.warning("reply to update %s dropped: Telegram will never deliver it (%s)", update_id, error)
            return
        log.error("error while handling update %s: %s", update_id, type(error).__name__, exc_info=error)

    # -- the reply path ----------------------------------------------------------
    async def respond(self, update: Update, context: ContextTypes.DEFAULT_TYPE, text: str | None,
                      kind: str) -> None:
        started = time.monotonic()
        chat = update.effective_chat
        user = update.effective_user
        who = pseudonym(user.id if user else None)
        reply_to = update.effective_message.message_id if update.effective_message and \
            chat.type != ChatType.PRIVATE and kind != "button" else None

        async def job() -> None:
            if text is None:
                await self.sender.text(context.bot, chat.id, texts.NON_TEXT, reply_to)
                log.info("%s non-text message", who)
                metrics.replied("non_text", time.monotonic() - started)
                return
            await self.sender.typing(context.bot, chat.id)
            reply, messages = self.channel.answer(chat.id, text)
            if self.config.logging.log_message_text:
                log.info("%s wrote %r", who, text)
            log.info("%s %s -> %s %s %s", who, kind, reply.kind.value, reply.entry_id or "-",
                     "-" if reply.score is None else f"{reply.score:.0f}")
            await self.sender.messages(context.bot, chat.id, messages, reply_to)
            metrics.replied(metrics.outcome_of(reply), time.monotonic() - started, bool(reply.safety_note))

        # Taken before any network call, so a chat's updates are answered in the order they came.
        await self.locks.run(chat.id, job)

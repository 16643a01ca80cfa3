"""The NET FAQ bot: one conversation core, a console adapter and a Telegram adapter."""

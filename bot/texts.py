"""The bot's own words (not the FAQ's): greetings, help, fallbacks. Plain text, no markup."""

DISCLAIMER = (
    "I give general information from Mayo Clinic's public page on neuroendocrine tumors. "
    "I am not a doctor, this is not medical advice, and I can't help in an emergency."
)

START = (
    "Hello, I'm the NET FAQ bot. I answer questions about neuroendocrine tumors (NETs) "
    "in plain words: what they are, symptoms, causes, risk factors, how they grow, and where to find support.\n\n"
    + DISCLAIMER
)
START_SUGGESTIONS_TITLE = "You could start with:"

HELP = (
    "Ask me a question about neuroendocrine tumors in your own words, for example "
    "\"what are the symptoms?\" or \"is it hereditary?\". Typos are fine.\n\n"
    "When I offer numbered choices, reply with the number (or tap a button).\n\n"
    "Commands:\n"
    "/topics - everything I can answer\n"
    "/about - where my answers come from\n"
    "/help - this message\n\n"
    "In an emergency, call your local emergency number."
)

TOPICS_TEXT = "These are the topics I can answer. Reply with a number, or ask in your own words."

ABOUT = (
    "Every answer comes from one public page: {publisher}, \"{title}\"\n{url}\n(text as retrieved {retrieved}).\n\n"
    "Answers are curated from that page only. " + DISCLAIMER
)

UNKNOWN_COMMAND = "I don't know the command {command}."

SOURCE_NOTE = "Source: {publisher}, \"{title}\"."
RELATED_TITLE = "You might also want to know:"

HEDGE = "I think you're asking about: {topic}."
SAME_FOR_THEM = "The page doesn't speak of them separately; here is what it says in general:"
# "which ones?", "like what?" right after an answer: the answer again, saying so (bot/context.py).
AGAIN = "That is all the page says on it; here it is again:"
ASKED = "You asked about two things. Which shall I answer first?"
ASKED_TITLE = "You asked about:"
ASKED_HINT = "Reply 1 or 2, or \"both\"."
CONFIRM_NO = "All right. Please ask again in other words, or send /topics to see everything I cover."

CLARIFY = "I want to be sure I answer the right question. Did you mean:"
CLARIFY_HINT = "Reply with a number, or ask in other words."

FALLBACK = "I'm sorry, I can't answer that from the page my answers come from."
FALLBACK_CARE_TEAM = "Your care team is the best place to ask about it."
NOT_CAUGHT = ("Sorry, I didn't catch that. I answer questions about neuroendocrine tumors (NETs): what they are, "
              "symptoms, causes, risk factors, how they grow, and where to find support. Ask in your own words, "
              "or pick a topic:")
FALLBACK_TITLE = "Here is what I can tell you about:"
# A question the page may answer but the bot could not read surely: it says so rather than "can't answer".
UNSURE = "I'm not sure I understood your question, and I'd rather not guess."
UNSURE_TITLE = "Did you mean one of these? If not, your care team is the best place to ask."
SECOND_QUESTION_TITLE = "You also asked about this, which I can answer (reply 1):"
FALLBACK_HINT = "Send /topics to see everything I cover."

# Feelings (bot/feelings.py): the warm line and what follows are in bot/data/feelings.yaml.
FEELING_TITLE = "You could start with:"

EMPTY = "Please type a question about neuroendocrine tumors, for example \"what causes NETs?\"."
PICK_OUT_OF_RANGE = "Please reply with a number from 1 to {count}, or ask in your own words."
PICK_OUT_OF_RANGE_ONE = "Please reply 1 or \"yes\" for it, or ask in your own words."

# Small talk right after the full safety reply ("ok thanks", "ok the ambulance is coming"): the check-in stays above
# it; "You're welcome. Ask me anything else about NETs" read as if the danger had been a question answered.
AFTER_ALARM = ("Thank you for letting me know. Please keep those numbers close, and reach out to them or to someone "
               "near you at any time, day or night. I'm here if you want to ask about NETs later.")
SAFETY_TAIL = "I'm an automated FAQ bot and can't help in an emergency. Please contact someone who can, right now."

# Conversation context (bot/context.py): corrections and "tell me more".
CORRECTION_CLARIFY = "Sorry I got that wrong. Did you mean:"
CORRECTION_FALLBACK = ("Sorry I got that wrong. I can't find another answer to it on the page my answers come "
                       "from. Could you ask it in other words?")
MORE = "That is everything the page says on \"{topic}\"."
MORE_SECTION = "It is in the page's \"{section}\" section, which also covers: {topics}."
MORE_SECTION_ALONE = "It is in the page's \"{section}\" section, which says nothing more about it."
MORE_RELATED_TITLE = "Related topics:"
MORE_SOURCE = "Read the whole page: {publisher}, \"{title}\"\n{url}"

# Messages in other languages (bot/languages.py); a line in the patient's language follows.
ENGLISH_ONLY = ("Sorry, I can only read and answer messages in English. Please ask your question in English, "
                "or send /topics to see everything I cover.")
# After the reply to a message in two languages, read by its English words.
ENGLISH_PART = "(I read English only, so I went by the English words of your message.)"

# Answer feedback (bot/feedback.py): Telegram's row under an answer, the console's /good and /bad.
FEEDBACK_HELPFUL_LABEL, FEEDBACK_UNHELPFUL_LABEL = "Helpful? 👍", "👎"
FEEDBACK_THANKS_HELPFUL = "Thank you! Glad it helped."
FEEDBACK_THANKS_UNHELPFUL = ("Thank you for telling us; we'll use it to improve this answer. "
                             "Your care team can help too.")
FEEDBACK_ALREADY = "Thanks, you already rated this answer."
FEEDBACK_NOTHING_TO_RATE = "There is no new answer to rate: /good or /bad rate the answer I just gave."
FEEDBACK_NOT_RECORDED = "Feedback isn't recorded here (the review record is off)."

# Telegram only: what is not text, and flood control (bot/telegram/flood_guard.py).
NON_TEXT = "I can only read text messages. Please type your question about neuroendocrine tumors."
FLOOD_NOTICE = ("You're sending messages faster than I can read them. I'll be back in a moment; "
                "please send your question again then.")
TAP_NOTICE = "One moment, please: too many taps at once."

# The console only (bot/console.py), on a terminal.
CONSOLE_HOW_TO_LEAVE = "Type /quit or press Ctrl-D to leave."
CONSOLE_GOODBYE = "Take care."

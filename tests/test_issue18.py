"""Issue 18's table, each row through the console process (`python -m bot console --json`)."""

from __future__ import annotations


import pytest

from tests.test_console import chat




def body(reply: dict) -> str:
    """The reply without a safety check-in line above it (the safety model's business)."""
    return reply["reply"].split("\n\n", 1)[1] if reply["tier"] == "check-in" else reply["reply"]


@pytest.mark.parametrize("text", ["🙂🙂", "???"])
def test_a_message_with_no_words_raises_no_check_in(text):
    reply, = chat(text)
    assert reply["tier"] is None


def test_no_answer_opens_with_yes_or_no(kb):
    """An answer must read right for any way of asking ("where can I find support?" is no yes/no question)."""
    for entry in kb.entries:
        first = entry.answer.split(".")[0].strip().lower()
        assert first not in ("yes", "no"), entry.id


STORY = (
    "Hi, I hope it's ok to write here, I'm not sure where else to turn. My husband Dave is 58 and for about three "
    "years he kept having these odd flushing episodes, his face and neck would go bright red, and he had a lot of "
    "diarrhoea, in and out of the bathroom many, many times every day. The GP kept saying it was probably stress or "
    "something he ate, and we sort of believed it because he was working long hours. Then in the spring, he started "
    "losing weight without trying and he was exhausted all the time, falling asleep in his chair by eight. "
    "Eventually they did a scan and found something on his small intestine and a few spots on his liver, and after "
    "a biopsy the consultant told us it was a neuroendocrine tumour. We had never even heard of it. He has now "
    "started on injections and we see the specialist nurse next month. I've been reading everything I can find at "
    "night when I can't sleep. What keeps going round in my head is our two children, they're in their twenties "
    "now, and Dave's mother died young of what the family always called a 'stomach cancer' though nobody ever knew "
    "what kind it was. His sister has also had some thyroid problems. Is this something that runs in families?"
)


def test_the_story_is_the_issues_length():
    assert len(STORY) == 1189


def test_the_long_story_through_the_core_with_the_rule_safety_net(rules_only):
    reply = rules_only.handle("story", STORY)
    assert reply.entry_id == "risk-factors" and not reply.hedged


def test_the_question_is_found_anywhere_up_to_telegrams_limit(rules_only):
    filler = "We have had such a long year with appointments and waiting rooms and phone calls. "
    for before, after in ((45, 0), (0, 45), (20, 25)):
        text = filler * before + "Is this something that runs in families? " + filler * after
        assert 3500 < len(text) <= 4096
        assert rules_only.handle(f"anywhere-{before}", text).entry_id == "risk-factors", (before, after)


@pytest.fixture(scope="module")
def rules_only():
    """The core with the safety net's rules alone: what the matcher makes of a message the safety
    model in training (issue 16) still alarms on."""
    from bot.config import BotConfig
    from bot.core import Conversation
    from bot.safety_net import SafetyNet

    full = Conversation.from_config(BotConfig(), record=False)
    return Conversation(full.kb, full.matcher, full.safety, full.smalltalk, full.config,
                        languages=full.languages, cues=full.context.cues, safety_net=SafetyNet(full.safety, None, None))


def test_the_hedged_field_and_the_hedge_line_always_agree():
    lines = ["what are the symptoms", "what about the hormone ones", "tell me more", "2", "types and symptoms",
             "the second one", "both", "hormones and types", "the hormone one", "I'm terrified. is it hereditary?",
             "is that linked to a net", "my jeans are falling off me", "could a net do this", "pancreas?",
             "what about the lungs?", "no i meant the causes", "wrong answer", "I was dying to ask: is it hereditary?",
             "symptoms wise what should i look for", "tummy trouble and flushing", "is it cancer or not",
             "I am scared what are the symptoms"]
    out = chat(*lines)
    for line, o in zip(lines, out):
        assert o["hedged"] == ("I think you're asking about" in o["reply"]), (line, o)
        assert not o["hedged"] or o["kind"] == "answer", (line, o)


# -- the issue's table: every row through the console process, one process a row ----------------------------

def _fear_then_what_the_bot_can_help_with(out):
    reply = out[-1]
    assert reply["kind"] == "feeling" and reply["feeling"] == "fear", reply
    text = body(reply)
    assert "diagnosis and treatment depend on" not in text.lower()
    assert "what neuroendocrine tumors (NETs) are" in text and "support group" in text and "care team" in text


def _prognosis_with_care(out):
    reply = out[-1]
    assert reply["kind"] == "fallback" and reply["decline"] == "survival", reply
    text = body(reply)
    assert "prognosis" in text and "care team" in text and "talk it through" in text and "support group" in text
    assert reply["suggestions"][0]["id"] == "support-group"


def _answers(*ids, hedged=None, context=None):
    def check(out):
        reply = out[-1]
        assert reply["kind"] == "answer" and reply["ids"] == list(ids), reply
        assert hedged is None or reply["hedged"] is hedged, reply
        assert context is None or reply["context"] == context, reply
        assert hedged is not False or "I think you're asking about" not in reply["reply"]
    return check


def _picks(*positions):
    """The options at these positions (1 first) of the "Did you mean" before, in that order."""
    def check(out):
        offered = [o["id"] for o in out[-2]["suggestions"]]
        assert out[-2]["kind"] == "clarify" and len(offered) >= max(positions), out[-2]
        _answers(*(offered[p - 1] for p in positions), context="choice")(out)
    return check


def _not_caught(out):
    reply = out[-1]
    assert reply["kind"] == "fallback" and body(reply).startswith("Sorry, I didn't catch that."), reply
    assert "symptoms, causes" in reply["reply"] and reply["suggestions"] and "/topics" in reply["reply"]


def _reads_right_for_support(out):
    reply = out[-1]
    _answers("support-group")(out)
    assert not reply["reply"].startswith("Yes") and "support group on Mayo Clinic Connect" in reply["reply"]


def _german_line(out):
    reply = out[-1]
    assert reply["kind"] == "fallback" and reply["language"] == "de", reply
    assert "Entschuldigung, ich kann nur Englisch lesen" in reply["reply"]


TYPES_SYMPTOMS = "types and symptoms"
TABLE = [
    ("scared-diagnosis", ["I'm so scared, I just got the diagnosis today"], _fear_then_what_the_bot_can_help_with),
    ("mum-left", ["how long does my mum have left"], _prognosis_with_care),
    ("dying-to-ask", ["I was dying to ask this: is it hereditary?"], _answers("risk-factors")),
    *[(f"pick-{said}", [TYPES_SYMPTOMS, said], _picks(2)) for said in ("option 2", "the second one", "second",
                                                                         "number 2", "two")],
    *[(f"pick-{said}", [TYPES_SYMPTOMS, said], _picks(1)) for said in ("the first one", "first")],
    ("both", [TYPES_SYMPTOMS, "both"], _picks(1, 2)),
    *[(f"not-caught-{i}", [text], _not_caught) for i, text in enumerate(["asdfgh", "🙂🙂", "???"])],
    ("symptoms-no-hedge", ["what are the symptoms"], _answers("symptoms", hedged=False)),
    *[(f"hormone-ones-{q}{f}", [f"what are the symptoms{q}", f"what about the hormone ones{f}"],
       _answers("functional-symptoms")) for q in ("?", "") for f in ("?", "")],   # alone or as a follow-up
    ("support", ["where can I find support?"], _reads_right_for_support),
    ("german", ["Ist ein neuroendokriner Tumor erblich?"], _german_line),
    ("carer-story", [STORY], _answers("risk-factors", hedged=False)),
]


@pytest.mark.parametrize("lines, check", [(lines, check) for _, lines, check in TABLE], ids=[r[0] for r in TABLE])
def test_the_issue_table(lines, check):
    check(chat(*lines))


# -- second round: what a review found, each through the console process ------------------------------------
def test_a_question_is_never_met_with_small_talk_and_small_talk_is_read_after_the_page():
    out = chat("who can I talk to?", "ok nvm thx", "Thank you, you are kind", "symptoms and treatment")
    assert out[0]["kind"] == "answer" and out[0]["id"] == "support-group", out[0]
    assert out[1]["kind"] == "smalltalk" and out[2]["kind"] in ("smalltalk", "feeling"), out[1:3]   # thanks, warmly
    assert out[3]["kind"] == "fallback" and not out[3]["reply"].startswith("You asked about two things"), out[3]


@pytest.mark.parametrize("lines", [
    ["symptoms and causes?", "Signs and symptoms", "now the other one"],   # a tapped topic, then the other
    ["symptoms and causes?", "1", "5", "the other one"],                   # a number out of range between
])
def test_the_two_questions_stay_offered_until_both_are_answered(lines):
    out = chat(*lines)
    assert out[-1]["kind"] == "answer" and out[-1]["id"] == "causes", out[-1]


def test_no_repeat_for_what_is_not_someone_else():
    out = chat("what are the types?", "what about the other ones?")
    assert "doesn't speak of them separately" not in out[1]["reply"], out[1]


def test_a_second_question_behind_a_declined_one_is_offered():
    declined, second = chat("is it contagious and what are the symptoms?", "1")
    assert declined["kind"] == "fallback" and [s["id"] for s in declined["suggestions"]] == ["symptoms"], declined
    assert second["kind"] == "answer" and second["id"] == "symptoms", second


# -- sixth round: learnt from blind training conversations, each through the console process ------------------
@pytest.mark.parametrize("first, then", [
    ("bruh can u get one of these in ur lungs fr", "what abt the appendix"),   # no cue lists "abt"
    # Round 10: "ngl idk what a neuroendocrine tumor even is, my mom just got diagnosed" first is met as a shock
    # said alone (the model hedges its answer and no clause asks); asked as a question, it is answered.
    ("ngl what even is a neuroendocrine tumor, my mom just got diagnosed", "is it like cancer cancer tho"),
])
def test_a_follow_up_in_words_no_cue_lists_is_read_with_the_turn_before(first, then):
    """The model's followup head (trained on corpus/conversations/) reads these as leaning on the turn before
    (without it, each got "I can't answer that")."""
    before, reply = chat(first, then)
    assert reply["kind"] == "answer" and reply["id"] == before["id"], reply


@pytest.mark.parametrize("first, then, entry", [
    ("can a nuroendokrine tumer be in the lungs", "and apendix", "where-in-body"),
    ("can it grow in the lungs?", "and the pancreas?", "where-in-body"),
    ("can they spread?", "and to the liver?", "growth-and-spread"),
])
def test_the_same_answer_again_after_an_opener_with_nothing_but_what_it_is_about(first, then, entry):
    """ "and the pancreas?" after "can it grow in the lungs?": the page's answer covers it; it is no one else's."""
    before, reply = chat(first, then)
    assert reply["kind"] == "answer" and reply["id"] == before["id"] == entry, reply
    assert "doesn't speak of them separately" not in reply["reply"], reply


@pytest.mark.parametrize("first, then", [("is it hereditary?", "and in children?"), ("can it spread?", "what about chemo"),
                                         ("what are the symptoms?", "and scans?"),
                                         ("Are tumours like this hereditary? My nan had one",
                                          "What about my little brother, he's only 12, can kids get them?")])
def test_what_the_page_does_not_cover_is_not_the_last_answer_again(first, then):
    reply = chat(first, then)[1]
    assert reply["kind"] == "fallback", reply


def test_someone_else_gets_the_last_answer_under_a_general_line():
    brother = chat("is it hereditary?", "what about his brother?")[1]
    assert brother["id"] == "risk-factors" and "doesn't speak of them separately" in brother["reply"], brother


@pytest.mark.parametrize("said, first", [("2 then 1", "causes"), ("The latter first, then the former", "causes"),
                                         ("first one then the second", "symptoms"),
                                         ("both, the second first", "causes")])
def test_both_in_the_order_asked_for(said, first):
    reply = chat("symptoms and causes?", said)[1]
    second = "symptoms" if first == "causes" else "causes"
    assert reply["kind"] == "answer" and reply["ids"] == [first, second], reply


def test_an_option_named_by_part_of_its_word():
    assert chat("symptoms and causes?", "sympt")[1]["id"] == "symptoms"


def test_two_topics_the_model_is_sure_of_are_two_questions():
    offer, = chat("NET symptoms vs when to see a doc??")
    assert offer["kind"] == "clarify" and [s["id"] for s in offer["suggestions"]] == ["symptoms", "when-to-see-doctor"]


def test_thanks_after_a_feeling_is_met_warmly_and_plain_thanks_stays_small_talk():
    feeling, thanks = chat("I'm so scared, they just found it", "thank you, I'll look at that tonight")
    assert feeling["feeling"] == "fear" and thanks["feeling"] == "gratitude", thanks
    plain = chat("what are the symptoms", "ok thanks")[1]
    assert plain["kind"] == "smalltalk" and plain["feeling"] is None, plain


def test_two_questions_the_sides_rule_missed_are_asked_back_in_the_order_asked():
    """The clarify head (trained on messages people wrote expecting the bot to ask back) finds two
    questions that the short "x and y" rule did not; the sides of the message give the order."""
    offer, = chat("is it common or is it rare and where does it grow")
    assert offer["kind"] == "clarify" and [s["id"] for s in offer["suggestions"]] == ["how-common", "where-in-body"]
    offer, second = chat("how do they start and can they spread to the liver", "the second")
    assert [s["id"] for s in offer["suggestions"]] == ["how-nets-form", "growth-and-spread"], offer
    assert second["kind"] == "answer" and second["id"] == "growth-and-spread", second


@pytest.mark.parametrize("text, asked", [
    ("what causes NETs and who is at higher risk?", ["causes", "risk-factors"]),
    ("how comon are they n wat causes them", ["how-common", "causes"]),
    ("What are neuroendocrine cells and why do they turn into tumours?", ["neuroendocrine-cells", "causes"]),
])
def test_two_questions_over_a_sure_answer_are_asked_back(text, asked):
    """The model is sure of the whole as its first question, but the clarify head reads two, and the
    message's two parts lean to two entries, the answered one among them: which first, in the order asked."""
    offer, = chat(text)
    assert offer["kind"] == "clarify" and [s["id"] for s in offer["suggestions"]] == asked, offer


@pytest.mark.parametrize("text, entry", [
    ("what symptoms does a hormone producing NET cause", "functional-symptoms"),
    ("what symptoms do the hormone tumours cause in general", "functional-symptoms"),
    ("My mum's NET is in her pancreas and I want to know how fast they grow", "growth-and-spread"),
    ("what's the difference between carcinoid and NET", "types"),
    ("is there a support group and can my husband come too", "support-group"),
    # "what are the symptoms and is that normal" left in round 16: its model reads "is that normal" as asking whether
    # having no symptoms at first is (0.50), and asks which first.
    ("is it bad and how fast does it grow", "growth-and-spread"),   # the second asks; the first asks nothing of its own
])
def test_one_question_naming_two_things_is_still_answered(text, entry):
    """Asking back is for two questions or a real doubt: never over an answer the model is sure of,
    nor for a side that only names the disease."""
    reply, = chat(text)
    assert reply["kind"] == "answer" and reply["id"] == entry, reply


@pytest.mark.parametrize("text", ["I'm not sure if this is the right place but I'm really scared",
                                  "my dad died last month and I don't know if I'll ever get over it"])
def test_a_feeling_said_with_if_is_met_warmly_not_answered(text):
    reply, = chat(text)
    assert reply["kind"] == "feeling" and reply["feeling"], reply


def test_a_number_beyond_a_one_option_offer_is_told_plainly():
    offer, beyond, yes = chat("the lump thing", "2", "yes")   # an unsure reading's one offer (round 17's model
    # answers "wat is a karsinoid", hedged, which round 16's read unsure; round 18's answers "sines of it"; round 19's
    # answers "wat r the risc factors", hedged)
    assert "Did you mean" in offer["reply"] and len(offer["suggestions"]) == 1, offer
    assert "1 to 1" not in beyond["reply"] and '"yes"' in beyond["reply"], beyond
    assert yes["kind"] == "answer" and yes["id"] == offer["suggestions"][0]["id"], yes


def test_a_suicidal_message_asking_two_things_gets_the_full_crisis_reply():
    reply, = chat("I'm feeling suicidal and scared, what causes it and is it hereditary")
    assert reply["kind"] == "safety" and reply["tier"] == "crisis", reply


# Crises told beside a question (corpus/heldout-beside-*, -plans-*): guards of what the bot does
# today; phrased here, not taken from any batch.
@pytest.mark.parametrize("text", [
    "I've decided, I'm going to jump off the bridge tomorrow. is it hereditary?",
    "I will take a whole box of my painkillers tonight, what causes NETs anyway",
    "I'm going to throw myself off the roof after my appointment, where do NETs grow?",
    "can you tell me about chemo side effects. i also want to die.",   # dying wished, beside a question
])
def test_a_crisis_plan_beside_a_question_gets_the_full_crisis_reply(text):
    reply, = chat(text)
    assert reply["kind"] == "safety" and reply["tier"] == "crisis", reply


def test_a_question_about_living_reasonably_long_is_not_read_as_no_reason_to_live():
    """The stem of "reasonably" is "reason": the crisis rule "no reason ... to live" matched it
    and put the crisis line above an 88-year-old's question (blind6, round 9)."""
    from bot.safety import load_safety

    text = "I am eighty-eight. How long may I reasonably expect to live? Yours faithfully"
    assert load_safety().check(text) is None
    reply, = chat(text)
    assert not reply["reply"].startswith("If you are thinking about suicide"), reply


def test_noise_is_a_word_not_a_typo_of_noose():
    from bot.safety import load_safety

    mentions = load_safety().mentions("the noise of the MRI tomorrow scares me")
    assert not [m for m in mentions if "means" in m.concepts], mentions


def test_a_sign_off_is_small_talk_not_a_feeling():
    """ "goodbye for now": wholly a sign-off, with no word of a feeling; the feeling model alone does not make
    it grief ("I'm so sorry. Please be gentle with yourself"). A feeling said with it is still met."""
    plain, = chat("goodbye for now")
    assert plain["kind"] == "smalltalk" and plain["feeling"] is None, plain
    scared, = chat("goodbye. im so scared")
    assert scared["feeling"] == "fear", scared


@pytest.mark.parametrize("text", ["goodbye", "goodbye, take care", "fair enough", "Goodbye, and thank you.",
                                  "morning all", "ok goodbye"])
def test_a_plain_sign_off_never_gets_the_full_crisis_reply(text):
    """Wholly a sign-off, thanks, "ok" or a greeting: the model's alarm counts one tier lower (the writers
    label 1 in 580 such messages a crisis; "goodbye" alone read as one)."""
    reply, = chat(text)
    assert reply["kind"] == "smalltalk" and reply["tier"] != "crisis", reply


@pytest.mark.parametrize("text", ["goodbye cruel world", "this is goodbye", "goodbye forever",
                                  "goodbye, I've got the pills lined up", "bye everyone, I won't be here tomorrow"])
def test_a_goodbye_that_says_more_gets_the_crisis_reply(text):
    """A goodbye with more than a sign-off's words is read as before: the crisis reply."""
    reply, = chat(text)
    assert reply["kind"] == "safety" and "988" in reply["reply"], reply


def test_thanks_for_everything_and_goodbye_keeps_the_crisis_reply():
    """ "thank you for everything, goodbye": a final goodbye's words, not a plain sign-off."""
    reply, = chat("thank you for everything, goodbye")
    assert reply["kind"] == "safety" and "988" in reply["reply"], reply


@pytest.mark.parametrize("text", ["bye for good", "goodbye for good", "bye everyone, love you all",
                                  "thank u for everything bye", "i'm off now. for good"])
def test_a_sign_off_that_may_be_a_farewell_keeps_the_safety_models_reading(text):
    """ "for good", "everyone", "love", "everything" beside a sign-off: not plain, so not a tier lower."""
    from bot.config import BotConfig
    from bot.core import Conversation

    conversation = Conversation.from_config(BotConfig(), record=False)
    assert not conversation.smalltalk.is_plain(text)
    plain = conversation.safety_net.assess(text)
    assert plain == conversation.safety_net.assess(text, plain_lower=False), text


def test_a_plain_goodbye_after_a_crisis_keeps_the_full_reply():
    """After the crisis reply in the same chat, "goodbye" is not read as the end of an ordinary chat."""
    alone, = chat("goodbye")
    assert alone["tier"] == "check-in", alone
    crisis, goodbye = chat("i have had enough, i want to end my life", "goodbye")
    assert crisis["kind"] == "safety" and goodbye["kind"] == "safety" and "988" in goodbye["reply"], goodbye


@pytest.mark.parametrize("lines", [
    ["goodbye tonight"],                                      # the model near-certain: never a tier lower
    ["goodbye ⚰️"],                                           # an emoji says more than the words
    # After a check-in: the model's own reading ("i feel like giving up", the example until round 20, is read at 0.01
    # by round 21's model, under the check-in cut; "I'm giving up" at 0.03).
    ["I'm giving up", "goodbye"],
    ["i've been saying goodbye to people", "bye bye everyone, love u all"],   # after the full reply: a warning sign
])
def test_a_goodbye_that_may_be_a_farewell_gets_the_crisis_reply(lines):
    replies = chat(*lines)
    assert replies[-1]["kind"] == "safety" and "988" in replies[-1]["reply"], replies[-1]


def test_a_misspelt_second_question_naming_a_topic_still_asks_which_first():
    """ "were it grows" reads alone as likeliest beyond the page, but it names a topic (growth): two questions."""
    reply, = chat("simptoms and were it grows")
    assert reply["kind"] == "clarify" and len(reply["suggestions"]) == 2, reply


@pytest.mark.parametrize("text", ["bye cruel world", "this is good bye"])
def test_a_farewells_words_get_the_crisis_lines_at_least(text):
    """The crisis phrases' variants: the rule's crisis line first, where the model reads too little for the full
    reply."""
    reply, = chat(text)
    assert "988" in reply["reply"], reply


def test_a_question_read_unsurely_is_asked_back_not_declined():
    """The model finds no entry sure enough but does not read the question as beyond the page: the bot
    says it is unsure and offers what it may mean ("yes" takes a single offer), never "I can't answer that
    from the page", which the page may well answer; a question beyond the page is still declined."""
    from bot import texts
    # (Round 18's model answers round 17's example, "sines of it", hedged; round 19's answers round 18's, "wat r the
    # risc factors", hedged.)
    unsure, yes, beyond = chat("the lump thing", "yes", "what is the weather like")
    assert unsure["kind"] == "fallback" and unsure["reply"].startswith(texts.UNSURE)
    assert texts.FALLBACK not in unsure["reply"] and [s["id"] for s in unsure["suggestions"]] == ["symptoms"]
    assert yes["kind"] == "answer" and yes["id"] == "symptoms"
    assert beyond["kind"] == "fallback" and beyond["reply"].startswith(texts.FALLBACK)


# Round 16's model answers "what does DNA have to do with it" (how NETs form, hedged), which round 15's read unsure
# and asked back with several options; the patient's own two questions stand in for a second kind of offer.
@pytest.mark.parametrize("first", ["types and symptoms", "is it hereditary and what are the symptoms"])
def test_yes_to_several_options_asks_which(first):
    """ "yes" takes a single offer; to several it asks which (it used to be met as small talk), and the
    offer stays, so a number still picks."""
    offered, yes, two = chat(first, "yes", "2")
    assert offered["kind"] in ("clarify", "fallback") and len(offered["suggestions"]) >= 2, offered
    assert yes["kind"] == "clarify" and yes["reply"].startswith("Please reply with a number from 1 to"), yes
    assert two["kind"] == "answer" and two["id"] == offered["suggestions"][1]["id"], two


@pytest.mark.parametrize("text", ["my husband has a NET in his lung", "Hi, I'm Priya, my dad has a pancreatic NET"])
def test_someone_introducing_the_diagnosis_is_not_told_nice_to_meet_you(text):
    """Round 18's care review: a carer who opened with the diagnosis got "Nice to meet you." The introduction's
    reply reads right for a name and for a diagnosis alike, and says what the bot can help with."""
    reply, = chat(text)
    assert reply["kind"] in ("smalltalk", "answer", "feeling"), reply
    assert "nice to meet you" not in reply["reply"].lower(), reply
    if reply["kind"] == "smalltalk":
        assert "What would you like to know?" in reply["reply"] and "symptoms" in reply["reply"], reply


def test_every_decline_topic_suggests_entries_of_its_own():
    """Round 19's care review: under a decline the matcher's closest entry often had no real chance and drifted to
    "Where this information comes from" ("should my kids be tested?" after the inherited syndromes). Every decline
    topic names what it offers (bot/data/decline_replies.yaml `suggest`), and never the bot's own source."""
    from bot.declines import load_decline_replies

    replies = load_decline_replies()
    for topic in ("tests", "staging", "diet", "costs", "contagion", "admin", "age-sex", "other-cancers",
                  "other-conditions", "duration"):
        assert replies.by_id[topic].suggest and "about-source" not in replies.by_id[topic].suggest, topic
    _, reply = chat("is it hereditary?", "should my kids be tested?")
    assert reply["kind"] == "fallback" and reply["decline"] == "tests", reply
    assert [s["id"] for s in reply["suggestions"]] == list(replies.by_id["tests"].suggest), reply


def test_a_symptom_someone_has_gets_the_pages_advice_on_seeing_a_doctor_with_the_list():
    """Round 19's care review: "I keep flushing, is that from the tumour?" got the list of hormone symptoms alone.
    When the message says the writer or someone close has a symptom, the page's own advice on when to see a doctor
    follows the list (faq/data/faq.yaml `when_reported`); a symptom asked about in general, or said not to be there,
    gets the list alone."""
    advice = "Make an appointment with your doctor if you have any persistent signs and symptoms that worry you."
    flushing, dad, general, none_ = chat("I keep flushing red in the face, is that from the tumour?",
                                         "my dad has diarrhea all the time and feels dizzy, could it be a NET?",
                                         "what symptoms do hormone tumours cause",
                                         "I don't have any flushing, what else would a functional one cause?")
    for reply in (flushing, dad):
        assert reply["kind"] == "answer" and reply["ids"] == ["functional-symptoms", "when-to-see-doctor"], reply
        assert reply["reply"].index("skin flushing") < reply["reply"].index(advice), reply
        assert "when-to-see-doctor" not in [s["id"] for s in reply["suggestions"]], reply
    assert general["ids"] == ["functional-symptoms"] and advice not in general["reply"], general
    assert advice not in none_["reply"], none_

"""Definition candidates: sentences that state what a term means, found by a few explicit rules.

Pure text processing, no database. The text is split into lines and each line into sentences
(a period inside quotes, or after "i.e."/"e.g."-style abbreviations, does not end a sentence).
Each sentence is tried against the patterns below, and every (term, definition) pair found is
proposed with the offsets of the whole sentence.

| pattern   | shape                                                   |
| --------- | ------------------------------------------------------- |
| equals    | X = Y  (several per sentence; "X / Z = Y" names both)   |
| is_the    | X is the problem / task / property / ... of Y           |
| by_i_mean | by X I mean Y;  what I mean by X is Y                   |
| define_as | I'd define X as Y;  X is defined as Y                   |
| call      | I'd call X the Y / a Y / "Y"                            |
| colon     | X: Y  (X a short noun phrase at the start of a line)    |
| calling   | what I'm calling X is Y;  Y is what I'm calling X       |
| i_e       | X, i.e. Y;  X (i.e. Y);  "Y" (i.e. X)                   |
| refers_to | X refers to Y                                           |
| means     | X means Y                                               |

The defined phrase is reported as written, without surrounding quotes and without a leading
article ("the", "a", "an"); the definition without surrounding quotes or final punctuation.

Precision comes from the checks on the two sides, not from the patterns: the defined phrase
must be a short noun phrase (no pronoun, no verb, not a generic word like "problem"), and the
definition must say something (two words or more, not opening with a pronoun or a vague word
like "nothing"). The rules prefer missing a loose definition over proposing a non-definition,
because every proposal costs a reviewer's attention.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from apps.glossary.normalize import normalize_term

# Longer "sentences" are pasted code, tables or unpunctuated walls of text.
MAX_SENTENCE_CHARS = 2000


@dataclass(frozen=True)
class Candidate:
    term_text: str
    definition_text: str
    start: int
    end: int
    pattern: str


# Sentences

_ABBREVIATIONS = {
    "i.e", "e.g", "etc", "vs", "cf", "viz", "resp", "approx", "al", "dr", "mr", "mrs", "ms",
    "prof", "st", "fig", "eq", "no", "vol", "pp", "ca", "incl", "esp",
}  # fmt: skip
_SENTENCE_END = re.compile(r"[.!?]+[”’\"')\]]*(?=\s|$)")
_NEXT_CHARACTER = re.compile(r"\s*(\S)")


def _quote_depth_ok(line: str) -> bool:
    # An unbalanced quote would keep a whole paragraph "inside quotes": then ignore quotes.
    return line.count("“") == line.count("”") and line.count('"') % 2 == 0


def _is_abbreviation(line: str, stop: int) -> bool:
    """Whether the period at line[stop] ends an abbreviation or an initial ("J. Doe")."""
    begin = stop
    while begin > 0 and (line[begin - 1].isalpha() or line[begin - 1] == "."):
        begin -= 1
    token = line[begin:stop].lower()
    return token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def _split_line(line: str) -> Iterator[tuple[int, int]]:
    use_quotes = _quote_depth_ok(line)
    start = scanned = 0
    depth = straight = 0  # quotation depth over line[:scanned]
    for match in _SENTENCE_END.finditer(line):
        end = match.end()
        if use_quotes:
            part = line[scanned:end]
            depth += part.count("“") - part.count("”")
            straight += part.count('"')
            scanned = end
            if depth > 0 or straight % 2:
                continue  # the stop is inside a quotation
        if line[match.start()] == "." and _is_abbreviation(line, match.start()):
            continue
        following = _NEXT_CHARACTER.match(line, end)
        if following and following[1].islower():
            continue  # "…" followed by a lower-case word is rarely a new sentence
        yield start, end
        start = end
    yield start, len(line)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, trimmed of surrounding whitespace."""
    spans = []
    for line in re.finditer(r"[^\r\n]+", text):
        for start, end in _split_line(line.group()):
            chunk = line.group()[start:end]
            stripped = chunk.strip()
            if stripped:
                offset = line.start() + start + (len(chunk) - len(chunk.lstrip()))
                spans.append((offset, offset + len(stripped)))
    return spans


# Checks on the defined phrase and the definition

_OPENING = "“‘\"'`*_"
_CLOSING = "”’\"'`*_"
_BOUNDARIES = ',;:()[]“”"—–'
_LEADING = re.compile(
    r"^(?:(?:and|or|but|so|while|whereas|then|also|basically|roughly|simply|essentially|"
    r"i\s+think(?:\s+that)?|i\s+guess|i\s+believe|i['’]d\s+say|i\s+would\s+say|in\s+short|"
    r"to\s+me|for\s+me|here)\s+)+",
    re.IGNORECASE,
)
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_NAMING = re.compile(r"^(?:term|word|phrase|label|notion\s+of|concept\s+of)\s+", re.IGNORECASE)
# Words that make a phrase a clause rather than a name: pronouns, determiners, auxiliaries,
# wh-words, discourse words.
_NOT_IN_TERM = {
    "i", "you", "he", "she", "it", "we", "they", "me", "him", "her", "us", "them", "my", "your",
    "his", "its", "our", "their", "this", "that", "these", "those", "which", "who", "whom",
    "whose", "what", "where", "when", "why", "how", "there", "here", "is", "are", "was",
    "were", "be", "been", "being", "am", "do", "does", "did", "have", "has", "had", "will",
    "would", "can", "could", "should", "shall", "may", "might", "must", "not", "if",
    "because", "think", "guess", "say", "said", "mean", "meant", "i'm", "i'd", "i've",
    "it's", "that's", "don't", "didn't", "isn't", "just", "really", "very", "so", "then",
    "something", "anything", "everything", "nothing", "someone", "anyone", "everyone",
    "one", "all", "both", "each", "every", "some", "any", "no", "such", "another", "same",
    "also", "yes", "yeah", "ok", "okay", "thanks", "please", "well", "here's", "there's",
    "what's", "let's", "he's", "she's", "who's", "i'll", "we'll", "you'll", "we're",
    "you're", "they're", "we've", "can't", "won't", "doesn't", "aren't", "wasn't",
}  # fmt: skip
# Words too generic to be the term being defined ("the problem is the problem of ...").
_GENERIC = {
    "problem", "issue", "point", "thing", "question", "reason", "difference", "answer",
    "idea", "goal", "result", "key", "catch", "upshot", "claim", "argument", "trick", "rule",
    "conclusion", "takeaway", "summary", "solution", "other", "former", "latter", "first",
    "second", "rest", "way", "plan", "hope", "worry", "concern", "challenge", "crux", "part",
    "example", "case", "approach", "view", "definition", "meaning", "sense", "equation",
}  # fmt: skip
_EVALUATIVE = {
    "main", "real", "key", "hard", "big", "basic", "core", "central", "whole", "only",
    "actual", "underlying", "fundamental", "important", "interesting", "tricky",
    "difficult", "obvious", "bigger", "larger", "first", "second", "last", "final", "other",
}  # fmt: skip
# Labels that open a line without naming a term ("Edit: ...", "Re: ...").
_LINE_LABELS = {
    "edit", "edited", "update", "note", "re", "ps", "p.s", "pps", "p.p.s", "tl;dr", "tldr",
    "summary", "example", "examples", "question", "questions", "answer", "source", "sources",
    "caveat", "caveats", "disclaimer", "thanks", "fwiw", "imo", "imho", "eta", "also",
    "context", "background", "spoiler", "warning", "link", "links", "quote", "reply",
    "epistemic status", "conclusion", "conclusions", "result", "results", "status",
    "addendum", "aside", "correction", "clarification", "related", "see also", "edit 2",
    "nitpick", "nit", "meta", "disagree", "agree", "agreed", "objection", "response",
}  # fmt: skip
# A definition does not open with these: "means nothing", "I mean to reply", "i.e. we left".
_VAGUE_START = {
    "i", "we", "you", "he", "she", "they", "it", "that", "there", "nothing", "everything",
    "something", "anything", "different", "many", "various", "much", "more", "less", "so",
    "to", "yes", "no", "yeah", "ok", "okay", "well", "thanks", "sure", "lol", "i'm", "i'd",
    "i've", "we're", "you're", "it's", "that's",
}  # fmt: skip
# "x = a + b", "rate = 0.01 for all runs": a formula or a value, not a definition.
_MATH = re.compile(r"[+*^<>]|^\s*[-\d.]")


def _words(text: str) -> list[str]:
    return text.replace("’", "'").lower().split()


def _strip_wrapping(text: str) -> str:
    text = text.strip()
    while len(text) > 1 and text[0] in _OPENING and text[-1] in _CLOSING:
        text = text[1:-1].strip()
    return text.strip(_OPENING + _CLOSING + " ")


def _clean_term(raw: str, *, max_words: int = 5) -> str | None:
    """The defined phrase, or None when `raw` is not a short noun phrase."""
    text = _strip_wrapping(raw.strip().rstrip(".,;:!?"))
    text = _LEADING.sub("", text)
    text = _strip_wrapping(_ARTICLE.sub("", text))
    text = _NAMING.sub("", text)
    text = _strip_wrapping(text)
    words = _words(text)
    if not words or len(words) > max_words or len(text) > 60:
        return None
    if any(c in text for c in '.?!;:,()[]{}=“”"') or not any(c.isalpha() for c in text):
        return None
    if any(w in _NOT_IN_TERM for w in words):
        return None
    if any(len(w) == 1 and w.isalpha() and w.islower() for w in text.split()):
        return None  # a variable ("x = 3"), not a term
    if words[-1] in _GENERIC and (len(words) == 1 or all(w in _EVALUATIVE for w in words[:-1])):
        return None
    return text


def _clean_definition(raw: str, *, min_words: int = 2, strip_that: bool = False) -> str | None:
    text = raw.strip().rstrip(".,;:!?…—– ").strip()
    text = _strip_wrapping(text)
    if strip_that:
        text = re.sub(r"^that\s+", "", text, flags=re.IGNORECASE)
    words = _words(text)
    if len(words) < min_words or not any(c.isalpha() for c in text):
        return None
    if words[0].strip(_OPENING) in _VAGUE_START:
        return None
    return text


def _phrase_before(sentence: str, position: int) -> str:
    """The phrase ending at `position`: back to the nearest clause boundary, or the whole
    quotation when a quoted phrase ends there ("“Robustness” refers to ...")."""
    chunk = sentence[:position].rstrip()
    if chunk.endswith(("”", '"', "’")):
        opener = {"”": "“", '"': '"', "’": "‘"}[chunk[-1]]
        begin = chunk.rfind(opener, 0, len(chunk) - 1)
        if begin >= 0:
            return chunk[begin:]
    cut = max(chunk.rfind(c) for c in _BOUNDARIES)
    return chunk[cut + 1 :]


def _clause_end(sentence: str, position: int, stops: str = "") -> int:
    """Where the clause starting at `position` ends: at the sentence end, at a closing quote
    or bracket opened before `position`, or at one of `stops` outside quotes and brackets."""
    depth = 0
    straight = False
    for index in range(position, len(sentence)):
        char = sentence[index]
        if char == '"':
            straight = not straight
        elif char in "“(":
            depth += 1
        elif char in "”)":
            if depth == 0:
                return index
            depth -= 1
        elif char in stops and depth == 0 and not straight:
            return index
    return len(sentence)


def _quoted(sentence: str, position: int) -> tuple[str, int] | None:
    """The quotation opening at `position` (after spaces) and the index past it."""
    while position < len(sentence) and sentence[position] == " ":
        position += 1
    if position >= len(sentence) or sentence[position] not in '“"':
        return None
    closer = "”" if sentence[position] == "“" else '"'
    end = sentence.find(closer, position + 1)
    if end < 0:
        return None
    return sentence[position + 1 : end], end + 1


def _alternatives(term: str) -> list[str]:
    # "robustness / inner alignment = ..." gives the definition to both names.
    return [part for part in re.split(r"\s+/\s+", term) if part.strip()]


# Patterns: each yields (raw term, raw definition, pattern, options for the definition)

_TAIL_STOPS = _NOT_IN_TERM | {
    "the", "a", "an", "about", "of", "on", "in", "for", "with", "to", "from", "by", "at",
    "into", "over", "under", "between", "than", "as", "and", "or", "but", "like",
}  # fmt: skip
# Words after which a noun phrase may start: prepositions, articles, copulas, naming verbs.
_PRECURSORS = {
    "the", "a", "an", "about", "of", "on", "in", "for", "with", "to", "from", "by", "at",
    "into", "over", "under", "between", "than", "as", "like", "is", "are", "was", "were",
    "be", "call", "called", "calling", "named", "termed", "term", "discuss", "discussed",
    "mention", "mentioned", "consider", "considered", "study", "studied", "describe",
    "described", "introduce", "introduced", "propose", "proposed",
}  # fmt: skip


def _noun_phrase_tail(chunk: str) -> str | None:
    """The noun phrase that ends `chunk` ("we mostly discussed inner alignment" -> "inner
    alignment"), when the word before it is one after which a noun phrase may start."""
    chunk = chunk.rstrip()
    if chunk.endswith(("”", '"')):
        return _phrase_before(chunk, len(chunk))
    head = chunk[: max(chunk.rfind(c) for c in _BOUNDARIES) + 1]
    words = [w.replace("’", "'") for w in chunk[len(head) :].split()]
    run = 0
    while run < min(5, len(words)) and words[-1 - run].lower() not in _TAIL_STOPS:
        run += 1
    # The longest tail that follows a word after which a name may start: in "we mostly
    # discussed inner alignment" that is "inner alignment"; "we went home" has none.
    for length in range(run, 0, -1):
        before = words[-1 - length].lower() if length < len(words) else None
        if before is None or before in _PRECURSORS:
            return " ".join(chunk[len(head) :].split()[-length:])
    return None


_EQUALS = re.compile(r"(?<![=<>!])\s*=\s*(?![=>])")
_IS_THE_NOUNS = (
    "problem|task|challenge|question|study|process|property|idea|claim|failure|ability|"
    "tendency|practice|phenomenon|condition|requirement|assumption|hypothesis|notion|"
    "concept|situation"
)
_IS_THE = re.compile(
    rf"\b(?:is|are)\s+((?:the|a|an)\s+(?:{_IS_THE_NOUNS})\s+(?:of|that|where|whereby|in\s+which)\b)",
    re.IGNORECASE,
)
_ADVERB = r"(?:(?:just|really|simply|basically|usually|roughly|mostly|generally|only)\s+)?"
_BY_I_MEAN = re.compile(
    rf"\bby\s+(?P<term>[^,;:.!?]{{1,80}}?)\s*,?\s+(?:I|we)\s+{_ADVERB}mean\s+(?P<def>.+)",
    re.IGNORECASE,
)
_WHAT_I_MEAN_BY = re.compile(
    rf"\bwhat\s+(?:I|we)\s+{_ADVERB}mean\s+by\s+(?P<term>.{{1,80}}?)\s+(?:is|are)\s+(?P<def>.+)",
    re.IGNORECASE,
)
_SUBJECT = r"(?:(?:I|we)(?:['’]d|['’]ll|\s+would|\s+will)?|let['’]?s|let\s+us)"
_DEFINE_AS = re.compile(
    rf"\b{_SUBJECT}\s+define\s+(?P<term>.{{1,80}}?)\s+as\s+(?P<def>.+)", re.IGNORECASE
)
_DEFINED_AS = re.compile(
    r"\b(?:is|are|can\s+be|could\s+be|should\s+be|will\s+be)\s+"
    r"(?:usually\s+|often\s+|best\s+|commonly\s+)?defined\s+as\s+",
    re.IGNORECASE,
)
_CALL = re.compile(
    r"(?<!what\s)\b(?:I|we)(?:['’]d|['’]ll|\s+would|\s+will)?\s+call\s+"
    r"(?P<term>.+?)\s+(?P<def>(?:the|a|an)\s.+|[“\"].+)",
    re.IGNORECASE,
)
_CALLING_WHO = r"what\s+(?:I|we)(?:['’]m|['’]re|\s+am|\s+are|['’]ll|\s+will)?\s+(?:calling|call)"
_CALLING_FIRST = re.compile(
    rf"\b{_CALLING_WHO}\s+(?P<term>.{{1,80}}?)\s+(?:is|are)\s+(?P<def>.+)", re.IGNORECASE
)
_CALLING_LAST = re.compile(rf"\s+(?:is|are)\s+{_CALLING_WHO}\s+(?P<term>.+)", re.IGNORECASE)
_COLON = re.compile(r"^(?:[-*•]\s+|\d+[.)]\s+)?(?P<term>[^:]{1,60}?)\s*:\s+(?P<def>.+)")
_I_E = re.compile(r"(?P<lead>,|\s\()\s*i\.\s?e\.?,?\s+", re.IGNORECASE)
_REFERS_TO = re.compile(
    r"\s(?:(?:usually|generally|typically|often|just|simply|mostly)\s+)?"
    r"(?:refers|(?:is|are)\s+used\s+to\s+refer)\s+to\s+",
    re.IGNORECASE,
)
_MEANS = re.compile(
    r"\s(?:(?:usually|generally|typically|just|simply|basically)\s+)?means\s+", re.IGNORECASE
)


def _equals(sentence: str) -> Iterator[tuple[str, str]]:
    signs = list(_EQUALS.finditer(sentence))
    for index, sign in enumerate(signs):
        term = _phrase_before(sentence, sign.start())
        quoted = _quoted(sentence, sign.end())
        if quoted is not None:
            definition = quoted[0]
        elif index + 1 < len(signs):
            # Up to the clause boundary before the next "X =".
            following = sentence[sign.end() : signs[index + 1].start()]
            cut = max(following.rfind(c) for c in ",;")
            if cut < 0:
                continue
            definition = re.sub(r"\s+(?:and|or)$", "", following[:cut].strip())
        else:
            definition = sentence[sign.end() : _clause_end(sentence, sign.end())]
        if _MATH.search(definition) and quoted is None:
            continue  # arithmetic, not a definition
        for name in _alternatives(term):
            yield name, definition


def _is_the(sentence: str) -> Iterator[tuple[str, str]]:
    for match in _IS_THE.finditer(sentence):
        term = _phrase_before(sentence, match.start())
        yield term, sentence[match.start(1) : _clause_end(sentence, match.start(1))]


def _before_and_after(sentence: str, pattern: re.Pattern[str]) -> Iterator[tuple[str, str]]:
    """X <keyword> Y, X being the phrase before the keyword."""
    for match in pattern.finditer(sentence):
        yield (
            _phrase_before(sentence, match.start()),
            sentence[match.end() : _clause_end(sentence, match.end())],
        )


def _calling(sentence: str) -> Iterator[tuple[str, str]]:
    for match in _CALLING_FIRST.finditer(sentence):
        yield match["term"], match["def"]
    for match in _CALLING_LAST.finditer(sentence):
        term = sentence[match.start("term") : _clause_end(sentence, match.start("term"), ",;")]
        yield term, _phrase_before(sentence, match.start())


def _i_e(sentence: str) -> Iterator[tuple[str, str]]:
    for match in _I_E.finditer(sentence):
        before = sentence[: match.start()].rstrip()
        in_brackets = match["lead"] != ","
        end = _clause_end(sentence, match.end(), "" if in_brackets else ",;")
        after = sentence[match.end() : end]
        if in_brackets and before.endswith(("”", '"')):
            # “Y” (i.e. X): the quotation is the definition, the bracket names it.
            yield after, _phrase_before(sentence, len(before))
            continue
        term = _noun_phrase_tail(before)
        if term is not None:
            yield term, after


# Every match of a pattern above contains one of these (lower-case) literals: a sentence, or a
# whole text, without any of them cannot state a definition, so the patterns are not tried on
# it. Most sentences have none, and looking for them is far cheaper than the patterns. A new
# pattern must bring its literal here.
_CUES = ("=", ":", "mean", "defin", "call", "refer", "i.", *_IS_THE_NOUNS.split("|"))
# The patterns' own case folding, for text where str.lower() could differ from it ("İ", "ſ").
_CUE = re.compile("|".join(map(re.escape, _CUES)), re.IGNORECASE)


def _has_cue(text: str) -> bool:
    if text.isascii():  # ASCII: lower() folds case exactly as re.IGNORECASE does
        lowered = text.lower()
        return any(cue in lowered for cue in _CUES)
    return _CUE.search(text) is not None


def _matches(sentence: str, at_line_start: bool) -> Iterator[tuple[str, str, str, int]]:
    """(raw term, raw definition, pattern, definition's minimum word count)."""
    for term, definition in _equals(sentence):
        yield term, definition, "equals", 2
    for term, definition in _is_the(sentence):
        yield term, definition, "is_the", 3
    for pattern in (_BY_I_MEAN, _WHAT_I_MEAN_BY):
        for match in pattern.finditer(sentence):
            yield match["term"], match["def"], "by_i_mean", 2
    for match in _DEFINE_AS.finditer(sentence):
        yield match["term"], match["def"], "define_as", 2
    for term, definition in _before_and_after(sentence, _DEFINED_AS):
        yield term, definition, "define_as", 2
    for match in _CALL.finditer(sentence):
        yield match["term"], match["def"], "call", 2
    for term, definition in _calling(sentence):
        yield term, definition, "calling", 2
    if at_line_start and (match := _COLON.match(sentence)):
        label = match["term"].strip(_OPENING + _CLOSING + " ").lower()
        # "Edit:", and also "Final caveat:", "One more question:".
        # An empty label ("*: ...", quotes only) names no term, and has no last word.
        if label and label not in _LINE_LABELS and label.split()[-1] not in _LINE_LABELS:
            yield match["term"], match["def"], "colon", 3
    for term, definition in _i_e(sentence):
        yield term, definition, "i_e", 2
    for term, definition in _before_and_after(sentence, _REFERS_TO):
        yield term, definition, "refers_to", 2
    for term, definition in _before_and_after(sentence, _MEANS):
        yield term, definition, "means", 3


def find_definition_candidates(text: str) -> list[Candidate]:
    """Every explicit definition stated in `text`, one candidate per (sentence, term)."""
    candidates: list[Candidate] = []
    if not _has_cue(text):
        return candidates
    for start, end in sentence_spans(text):
        if end - start > MAX_SENTENCE_CHARS:
            continue  # pasted code or a wall of text: no explicit definition, and slow to scan
        sentence = text[start:end]
        if not _has_cue(sentence):
            continue
        at_line_start = not text[text.rfind("\n", 0, start) + 1 : start].strip()
        seen: set[str] = set()
        for raw_term, raw_definition, pattern, min_words in _matches(sentence, at_line_start):
            term = _clean_term(raw_term, max_words=4 if pattern == "colon" else 5)
            definition = _clean_definition(
                raw_definition,
                min_words=min_words,
                strip_that=pattern in ("by_i_mean", "calling", "means"),
            )
            if term is None or definition is None:
                continue
            key = normalize_term(term)
            if key in seen:
                continue
            seen.add(key)
            candidates.append(Candidate(term, definition, start, end, pattern))
    return candidates

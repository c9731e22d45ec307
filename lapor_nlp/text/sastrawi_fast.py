"""Sastrawi's own stemming rules, run without the visits that cannot change the word.

PySastrawi tries each of its ~40 prefix rules in turn, three times per word, and records every
removal with ``re.sub(result, "", word)``, which compiles the word itself as a pattern and
overflows ``re``'s cache: about 0.15 ms per never-seen word, most of the cold cost of the text
pipeline. :class:`FastStemmer` keeps Sastrawi's rule objects, dictionary and control flow
(its ``Context`` is subclassed, not rewritten) and changes only two things:

* a prefix rule is not called when the word does not start with a literal that every pattern
  of the rule requires (read from the rule's own source: ``re.match(r'^ber...', word)``,
  ``word == 'belajar'``), because such a call returns nothing and changes nothing;
* the removed part is found with ``str.replace`` instead of ``re.sub``, the same thing for
  words of ``a-z`` and ``-`` (no pattern characters), the only words it accepts.

Equality with ``Sastrawi.Stemmer.Stemmer.Stemmer.stem_word`` is checked on every distinct
word of the real exports by ``benchmarks/stem_equality.py`` and, on a sample, in the tests.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

from Sastrawi.Stemmer.Context.Context import Context
from Sastrawi.Stemmer.Context.Removal import Removal
from Sastrawi.Stemmer.Context.Visitor.AbstractDisambiguatePrefixRule import (
    AbstractDisambiguatePrefixRule,
)
from Sastrawi.Stemmer.Context.Visitor.RemoveDerivationalSuffix import RemoveDerivationalSuffix
from Sastrawi.Stemmer.Context.Visitor.RemoveInflectionalParticle import (
    RemoveInflectionalParticle,
)
from Sastrawi.Stemmer.Context.Visitor.RemoveInflectionalPossessivePronoun import (
    RemoveInflectionalPossessivePronoun,
)
from Sastrawi.Stemmer.Context.Visitor.RemovePlainPrefix import RemovePlainPrefix
from Sastrawi.Stemmer.Stemmer import Stemmer

__all__ = ["ACCEPTED_WORD_RE", "FastStemmer", "rule_literals"]

ACCEPTED_WORD_RE = re.compile(r"[a-z]+(?:-+[a-z]*)*")
"""Words :class:`FastStemmer` runs itself; others go to plain Sastrawi."""

# Affix type Sastrawi records for each plain (rule-free) visitor class.
_PLAIN_VISITORS: dict[type, str] = {
    RemoveInflectionalParticle: "P",
    RemoveInflectionalPossessivePronoun: "PP",
    RemoveDerivationalSuffix: "DS",
    RemovePlainPrefix: "DP",
}
_MATCH_RE = re.compile(r"""re\.match\(\s*r?(['"])\^?([a-z]*)[^'"]*\1\s*,\s*word\s*\)""")
_EQUALS_RE = re.compile(r"""word\s*==\s*(['"])([a-z]*)\1""")
_ALL_WORDS = ("",)


def rule_literals(disambiguator: Any) -> tuple[str, ...]:
    """Literal starts a word needs for ``disambiguator.disambiguate(word)`` to return anything.

    Read from the rule's source: the literal head of each ``re.match(pattern, word)`` and each
    ``word == '...'``. ``("",)`` (every word) when the source is unavailable or holds
    anything else that tests ``word``, so that an unknown rule is always called.

    Examples
    --------
    >>> from Sastrawi.Morphology.Disambiguator.DisambiguatorPrefixRule17 import (
    ...     DisambiguatorPrefixRule17a)
    >>> rule_literals(DisambiguatorPrefixRule17a())
    ('meng',)
    """
    try:
        source = inspect.getsource(type(disambiguator).disambiguate)
    except (OSError, TypeError, AttributeError):
        return _ALL_WORDS
    found = [m.group(2) for m in _MATCH_RE.finditer(source)]
    found += [m.group(2) for m in _EQUALS_RE.finditer(source)]
    uses = len(re.findall(r"\bword\b", source)) - 1  # minus the parameter itself
    if not found or uses != len(found):
        return _ALL_WORDS
    return tuple(sorted(set(found)))


class _PrefixRules:
    """Sastrawi's prefix visitors in order, each with the literals a word needs for it to act.

    ``for_word`` gives the visitors that may act on a word, found by the word's first two
    letters (at most 27 * 27 + 28 lists, built on first use).
    """

    def __init__(self, visitors: list[Any]) -> None:
        self.visitors = visitors
        self.gates: list[tuple[str, ...]] = []
        for visitor in visitors:
            literals: set[str] = set()
            if isinstance(visitor, AbstractDisambiguatePrefixRule):
                for disambiguator in visitor.disambiguators:
                    literals.update(rule_literals(disambiguator))
            else:
                literals.add("")
            self.gates.append(_ALL_WORDS if "" in literals else tuple(sorted(literals)))
        self._by_head: dict[str, list[tuple[int, Any, tuple[str, ...]]]] = {}

    def for_word(self, word: str) -> list[tuple[int, Any, tuple[str, ...]]]:
        head = word[:2]
        found = self._by_head.get(head)
        if found is None:
            found = [
                (index, visitor, gate)
                for index, (visitor, gate) in enumerate(zip(self.visitors, self.gates, strict=True))
                if gate is _ALL_WORDS
                or any(lit.startswith(head) or head.startswith(lit) for lit in gate)
            ]
            self._by_head[head] = found
        return found


class _FastContext(Context):  # type: ignore[misc]
    """Sastrawi's ``Context`` with its visits done as described in the module docstring."""

    current_word: str

    def __init__(self, word: str, dictionary: Any, provider: Any, rules: _PrefixRules) -> None:
        super().__init__(word, dictionary, provider)
        self.rules = rules

    def accept_visitors(self, visitors: list[Any]) -> str | None:
        contains = self.dictionary.contains
        for visitor in visitors:
            self._visit(visitor)
            if contains(self.current_word) or self.process_is_stopped:
                return str(self.current_word)
        return None

    def accept_prefix_visitors(self, visitors: list[Any]) -> str | None:
        # Sastrawi runs the rules in order and stops after the first one, once the word is in
        # the dictionary or stopped; else after the first rule that removes something. A rule
        # whose literals do not fit the word removes nothing, so it can be passed over.
        if visitors is not self.rules.visitors:
            return super().accept_prefix_visitors(visitors)  # type: ignore[no-any-return]
        word = self.current_word
        count = len(self.removals)
        settled = self.dictionary.contains(word) or self.process_is_stopped
        for index, visitor, literals in self.rules.for_word(word):
            if index and settled:
                return word
            if literals is not _ALL_WORDS and not word.startswith(literals):
                continue
            self._visit(visitor)
            if self.dictionary.contains(self.current_word) or self.process_is_stopped:
                return self.current_word
            if len(self.removals) > count:
                return None
        return None

    def _visit(self, visitor: Any) -> None:
        word: str = self.current_word
        if isinstance(visitor, AbstractDisambiguatePrefixRule):
            result = None
            for disambiguator in visitor.disambiguators:
                result = disambiguator.disambiguate(word)
                if self.dictionary.contains(result):
                    break
            if result is None:
                return
            kind = "DP"
        else:
            kind_or_none = _PLAIN_VISITORS.get(type(visitor))
            if kind_or_none is None:
                visitor.visit(self)
                return
            result = visitor.remove(word)
            if result == word:
                return
            kind = kind_or_none
        self.add_removal(Removal(visitor, word, result, word.replace(result, "", 1), kind))
        self.current_word = result


class FastStemmer(Stemmer):  # type: ignore[misc]
    """``Sastrawi.Stemmer.Stemmer.Stemmer`` with the faster context; same answers.

    Examples
    --------
    >>> from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
    >>> FastStemmer(ArrayDictionary(["baik", "layan"])).stem_word("perbaikannya")
    'baik'
    """

    def __init__(self, dictionary: Any) -> None:
        super().__init__(dictionary)
        self._rules = _PrefixRules(self.visitor_provider.get_prefix_visitors())
        self._plain = Stemmer(dictionary)

    def stem_word(self, word: str) -> str:
        if ACCEPTED_WORD_RE.fullmatch(word) is None:
            return str(self._plain.stem_word(word))
        return str(super().stem_word(word))

    def stem_singular_word(self, word: str) -> str:
        context = _FastContext(word, self.dictionary, self.visitor_provider, self._rules)
        context.execute()
        return str(context.result)

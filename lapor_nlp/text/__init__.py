"""Indonesian complaint text to model features: masking, normalisation, slang, stemming.

Public API
----------
mask_personal_data : personal data to placeholders, on raw text (used project-wide).
model_input : a complaint's title and text as the one string the model reads.
TextPreprocessor : scikit-learn transformer, raw text to feature tokens.
slang_ratio : share of slang words in a text (for slice metrics).
surface_text : the masked, lower-cased, unstemmed text (what character n-grams read).
"""

from typing import TYPE_CHECKING, Any

from lapor_nlp.text.compose import model_input
from lapor_nlp.text.mask import PLACEHOLDERS, mask_personal_data
from lapor_nlp.text.noise import remove_emoji, squash_punctuation, squash_repeats
from lapor_nlp.text.normalize import clean_text, normalize_text
from lapor_nlp.text.protected import default_protected, load_protected
from lapor_nlp.text.slang import load_lexicon, normalize_slang, slang_ratio
from lapor_nlp.text.stem import get_stem_cache, stem_word
from lapor_nlp.text.stopwords import default_stopwords, load_stopwords
from lapor_nlp.text.surface import surface_text

if TYPE_CHECKING:
    from lapor_nlp.text.preprocessor import TextPreprocessor

__all__ = [
    "PLACEHOLDERS",
    "TextPreprocessor",
    "clean_text",
    "default_protected",
    "default_stopwords",
    "get_stem_cache",
    "load_lexicon",
    "load_protected",
    "load_stopwords",
    "mask_personal_data",
    "model_input",
    "normalize_slang",
    "normalize_text",
    "remove_emoji",
    "slang_ratio",
    "squash_punctuation",
    "squash_repeats",
    "stem_word",
    "surface_text",
]


def __getattr__(name: str) -> Any:
    # TextPreprocessor pulls in scikit-learn: imported on first use, so that code that only
    # masks text (logging, storage) stays light.
    if name == "TextPreprocessor":
        from lapor_nlp.text.preprocessor import TextPreprocessor

        return TextPreprocessor
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""Text normalisation for comparing answers: Unicode form, spaces, and optionally case and diacritics.

Unlike cms.text.fold_for_search (search always folds both), a short-answer question chooses each
folding on its own: "Bảo mật" may have to match "bảo mật" but not "bao mat".
"""

import unicodedata

# đ/Đ are letters of their own, not d plus a combining mark: NFD leaves them alone.
_D_WITH_STROKE = str.maketrans({"đ": "d", "Đ": "D"})


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.translate(_D_WITH_STROKE))
    return unicodedata.normalize("NFC", "".join(char for char in decomposed if not unicodedata.combining(char)))


def normalise_answer(text: str, *, ignore_case: bool, ignore_diacritics: bool) -> str:
    """NFC form and single spaces always; case and Vietnamese diacritics folded when asked."""
    text = " ".join(unicodedata.normalize("NFC", text).split())
    if ignore_diacritics:
        text = strip_diacritics(text)
    if ignore_case:
        text = text.casefold()
    return text

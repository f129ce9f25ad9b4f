"""Text folding for search: lower case, Vietnamese diacritics removed, so "bao mat" finds "Bảo mật"."""

import unicodedata

# đ/Đ are letters of their own, not d plus a combining mark: NFD leaves them alone.
_LETTERS_WITHOUT_DECOMPOSITION = str.maketrans({"đ": "d", "Đ": "d"})


def fold_for_search(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTERS_WITHOUT_DECOMPOSITION))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.lower().split())

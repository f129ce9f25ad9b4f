"""Reading gettext catalogues in tests without polib (not in the lock)."""

import ast
import re


def po_entries(path):
    """(msgctxt, msgid, msgid_plural) of every live entry of a .po file (obsolete "#~" lines are skipped)."""
    entries, current, field = [], {}, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        keyword = re.match(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (\".*\")$", line)
        if keyword:
            field = keyword.group(1)
            if field in ("msgctxt", "msgid") and "msgstr" in current:
                entries.append(current)
                current = {}
            current[field] = ast.literal_eval(keyword.group(2))
        elif line.startswith('"') and field:
            current[field] += ast.literal_eval(line)
        elif not line.strip() and current:
            entries.append(current)
            current, field = {}, None
    return [(e.get("msgctxt"), e["msgid"], e.get("msgid_plural")) for e in entries if e.get("msgid")]

"""Fuzzing the three upload paths (issue 10): H5P packages, question files (GIFT, Moodle XML, XLSX) and
staff lists (CSV, XLSX).

Each property starts from a valid sample built here and feeds hostile variants of it: random and
truncated bytes, byte flips and splices, zip members with unsafe names or damaged data, zip bombs,
deep JSON, XML entities, bad encodings, Vietnamese diacritics (composed and not), CR-LF, NUL bytes and
spreadsheet formula prefixes. Whatever comes in, the service answers with its app's own error (or
succeeds), never with another exception, and a refused file leaves every affected table (and, for H5P,
the media folder) exactly as it was; through the HTTP views the status is never a 500.

Deterministic (derandomize, no example database), so CI runs the same examples every time.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import openpyxl
import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.roles import Role
from assessments.errors import AssessmentsError
from assessments.importers import ImportRejected, read_question_file
from assessments.models import Question, QuestionCategory, QuestionCompetency, QuestionVersion
from assessments.services import category_save, questions_import
from h5p.errors import PackageInvalid
from h5p.models import H5PContent, H5PPackage
from h5p.package import package_extract
from h5p.services import content_upload
from organisations.models import Person, RosterImport
from organisations.roster import RosterError, RosterFileError, roster_import_apply, roster_preview_create
from tests.helpers import login_with_totp

pytestmark = pytest.mark.django_db
User = get_user_model()

FUZZ = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
# Through the HTTP views each example is a full request: fewer of them.
FUZZ_HTTP = settings(FUZZ, max_examples=60)


def counts(*models) -> tuple[int, ...]:
    return tuple(model.objects.count() for model in models)


def files_under(root) -> set[str]:
    return {str(path.relative_to(root)) for path in root.rglob("*")}


# Hostile pieces -----------------------------------------------------------------------------------------

TOKENS = [
    "{", "}", "=", "~", "#", "####", "->", "::", "\\", "\\{", "$CATEGORY: $course$/top/A/B", "%50%", "%-100%",
    "..", ":", "|", ";", ",", "\t", "\r\n", "\r", "\n", "\n\n", "//", "[html]", "[tag:IU01]", "\x00", "\ufeff",
    "\u202e", "\u200b", "Nguyễn Thị Ánh", "Đúng", "Sai", "Đ", "ệ", "e\u0302\u0301", "Tiếng Việt có dấu",
    "=cmd|' /C calc'!A0", "=HYPERLINK(\"http://x\")", "+SUM(1,2)", "-2+3", "@A1", "<script>alert(1)</script>",
    "<p>", "</p>", "<b>", "&amp;", "&#0;", "&lt;", "]]>", "<![CDATA[", "NaN", "inf", "-inf", "1e999", "1e-999",
    "-0", "9" * 40, "0x1F", "x" * 3000, "T", "FALSE", "A, C", "một lựa chọn", "số", "ghép cặp", "tự luận",
]
hostile_text = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=12)), max_size=10).map("".join)
# Category paths: far too deep, a step too long for the name column, odd separators.
PATHS = ["/".join(["Cấp"] * 3000), "x" * 300, "$course$/top/a//b/ /c", "/".join(["Bậc"] * 11)]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp1258", "latin-1", "ascii"]


def encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


@st.composite
def mutated(draw, sample: bytes, *, max_steps: int = 4) -> bytes:
    """The sample after a few byte-level mutations: truncation, flips, insertions, deletions, splices."""
    data = bytearray(sample)
    for _step in range(draw(st.integers(1, max_steps))):
        position = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["truncate", "flip", "insert", "delete", "overwrite", "duplicate"]))
        if kind == "truncate":
            del data[position:]
        elif kind == "flip" and position < len(data):
            data[position] ^= draw(st.integers(1, 255))
        elif kind == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=16))
        elif kind == "delete":
            del data[position : position + draw(st.integers(1, 64))]
        elif kind == "overwrite":
            chunk = draw(st.binary(min_size=1, max_size=16))
            data[position : position + len(chunk)] = chunk
        elif kind == "duplicate":
            data[position:position] = data[position : position + draw(st.integers(1, 256))]
    return bytes(data)


def zip_of(files: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def declared_size_bomb(sample: bytes, member: str, declared: int) -> bytes:
    """The sample with one member claiming `declared` unpacked bytes (local and central headers)."""
    import struct

    info = zipfile.ZipFile(io.BytesIO(sample)).getinfo(member)
    patched = bytearray(sample)
    struct.pack_into("<I", patched, info.header_offset + 22, declared)
    position = patched.find(b"PK\x01\x02")
    while position != -1:
        length = struct.unpack_from("<H", patched, position + 28)[0]
        if bytes(patched[position + 46 : position + 46 + length]) == member.encode():
            struct.pack_into("<I", patched, position + 24, declared)
        position = patched.find(b"PK\x01\x02", position + 4)
    return bytes(patched)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=8,
)


# H5P ------------------------------------------------------------------------------------------------------

LIBRARY = {"title": "Fuzz", "majorVersion": 1, "minorVersion": 0, "patchVersion": 3, "machineName": "H5P.Fuzz",
           "runnable": 1, "preloadedJs": [{"path": "fuzz.js"}]}
H5P_JSON = {"title": "Câu hỏi Đúng/Sai", "language": "vi", "mainLibrary": "H5P.Fuzz", "embedTypes": ["iframe"],
            "preloadedDependencies": [{"machineName": "H5P.Fuzz", "majorVersion": 1, "minorVersion": 0}]}


def h5p_files() -> dict[str, bytes]:
    """A minimal valid package: h5p.json, content/content.json and one library with its script."""
    return {
        "h5p.json": json.dumps(H5P_JSON, ensure_ascii=False).encode(),
        "content/content.json": json.dumps({"question": "<p>Hà Nội là thủ đô?</p>", "correct": "true"}).encode(),
        "H5P.Fuzz-1.0/library.json": json.dumps(LIBRARY).encode(),
        "H5P.Fuzz-1.0/fuzz.js": b"var H5P = H5P || {};\n" * 20,
    }


HOSTILE_NAMES = [
    "../evil.json", "content/../../evil.json", "/etc/evil.txt", "C:/evil.txt", "content\\evil.json",
    "content/evil.php", "content/evil.js", "evil.svg", "content/a.json/b.json", "content/content.json/x.json",
    "content/" + "a" * 300 + ".json", "content/" + "đ" * 200 + ".json", "/".join(["d"] * 400) + "/x.json",
    "content/CONTENT.JSON", "H5P.FUZZ-1.0/library.json", "H5P.Other-1.0/library.json", "h5p.json/x.json",
    ".hidden/x.js", "__MACOSX/._h5p.json", "content/ ", "content/.", "content//x.json", "content/x.json ",
    "content/ảnh.png", "content/e\u0302\u0301.png", "content/\u202egnp.js", "H5P.Fuzz-1.0/",
]


@st.composite
def hostile_packages(draw) -> bytes:
    files = h5p_files()
    for _step in range(draw(st.integers(0, 3))):
        action = draw(st.sampled_from(["add", "drop", "json", "h5p_key", "library_key", "deep", "big"]))
        if action == "add":
            files[draw(st.sampled_from(HOSTILE_NAMES))] = draw(st.binary(max_size=64))
        elif action == "drop":
            files.pop(draw(st.sampled_from(sorted(files))), None)
        elif action == "json":
            files[draw(st.sampled_from(["h5p.json", "content/content.json", "H5P.Fuzz-1.0/library.json"]))] = (
                json.dumps(draw(json_values)).encode()
            )
        elif action in {"h5p_key", "library_key"}:
            name = "h5p.json" if action == "h5p_key" else "H5P.Fuzz-1.0/library.json"
            try:
                data = json.loads(files[name])
            except (KeyError, ValueError):
                continue
            if isinstance(data, dict):
                data[draw(st.sampled_from([*H5P_JSON, *LIBRARY, "dynamicDependencies"]))] = draw(
                    json_values | st.sampled_from([float("inf"), float("nan"), 10**30, "\x00", [{}], [[]], "-"])
                )
                files[name] = json.dumps(data).encode()
        elif action == "deep":
            depth = draw(st.sampled_from([100, 5000, 200_000]))
            files[draw(st.sampled_from(["h5p.json", "content/content.json"]))] = b"[" * depth + b"]" * depth
        elif action == "big":
            files["content/zeros.txt"] = b"\0" * draw(st.sampled_from([70_000, 2_000_000]))
    method = draw(st.sampled_from([zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]))
    data = zip_of(files, method)
    variant = draw(st.sampled_from(["as is", "mutated", "mutated", "bomb"]))
    if variant == "mutated":
        data = draw(mutated(data))
    elif variant == "bomb":
        data = declared_size_bomb(data, "H5P.Fuzz-1.0/fuzz.js", 10**9)
    return data


any_package = st.one_of(hostile_packages(), st.binary(max_size=512), st.just(b""), st.just(b"PK\x03\x04"))


@pytest.fixture
def author(make_person, unit_a):
    return make_person(unit=unit_a, roles=[Role.TRAINER], full_name="Lê Văn Giảng").user


def test_the_minimal_package_of_the_fuzzer_is_valid(media_root, author):
    """The fuzzer mutates a sample that is accepted: its properties test more than the zip header."""
    content = content_upload(uploaded=SimpleUploadedFile("a.h5p", zip_of(h5p_files())), title="", owner=author)
    assert content.package.main_library == "H5P.Fuzz-1.0" and content.title == "Câu hỏi Đúng/Sai"


def _damaged(files: dict[str, bytes], method: int, member: str) -> bytes:
    """A package whose `member` has its compressed data scrambled (the headers are intact)."""
    data = bytearray(zip_of(files, method))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(member)
    start = info.header_offset + 30 + len(info.filename.encode())
    for offset in range(start, start + 8):
        data[offset] ^= 0xFF
    return bytes(data)


def _with_h5p_json(**changes) -> dict[str, bytes]:
    return {**h5p_files(), "h5p.json": json.dumps({**H5P_JSON, **changes}).encode()}


# Found by the fuzzer (each was an uncaught exception, a 500 in the admin, before the fix in h5p/package.py).
H5P_FOUND = {
    "damaged deflate data (zlib.error)": (
        _damaged(h5p_files(), zipfile.ZIP_DEFLATED, "H5P.Fuzz-1.0/fuzz.js"), "the zip archive is damaged"),
    "damaged bzip2 data (OSError)": (
        _damaged(h5p_files(), zipfile.ZIP_BZIP2, "H5P.Fuzz-1.0/fuzz.js"), "the zip archive is damaged"),
    "junk before the archive (negative seek)": (zip_of(h5p_files())[1:], "the zip archive is damaged"),
    "a file, then a folder of the same name (FileExistsError)": (
        zip_of({**h5p_files(), "content/a.json": b"{}", "content/a.json/b.json": b"{}"}), "both a file and a folder"),
    "a folder, then a file of the same name": (
        zip_of({**h5p_files(), "content/a.json/b.json": b"{}", "content/a.json": b"{}"}), "both a file and a folder"),
    "a file name too long for the file system (OSError)": (
        zip_of({**h5p_files(), "content/" + "đ" * 200 + ".json": b"{}"}), "the file name is too long"),
    "embedTypes holding an object (TypeError)": (zip_of(_with_h5p_json(embedTypes=[{}])), "“embedTypes” must list"),
    "a version that is Infinity (OverflowError)": (
        zip_of({**h5p_files(), "H5P.Fuzz-1.0/library.json": json.dumps({**LIBRARY, "majorVersion": float("inf")})
                .encode()}), "the version numbers must be whole numbers"),
    "JSON nested 200,000 deep (RecursionError)": (
        zip_of({**h5p_files(), "content/content.json": b"[" * 200_000 + b"]" * 200_000}, zipfile.ZIP_STORED),
        "“content/content.json” is not valid JSON"),
    # Stored as jsonb: PostgreSQL refuses both (a 500 there, fine on SQLite).
    "a NUL character in h5p.json": (zip_of(_with_h5p_json(title="Câu\x00hỏi")), "holds a NUL character"),
    "NaN in h5p.json": (zip_of(_with_h5p_json(license=float("nan"))), "a number that is not finite"),
}


@pytest.mark.parametrize("data, message", H5P_FOUND.values(), ids=H5P_FOUND.keys())
def test_packages_found_by_the_fuzzer_are_refused_with_a_reason(media_root, author, tmp_path_factory, data, message):
    with pytest.raises(PackageInvalid) as refused:
        package_extract(io.BytesIO(data), tmp_path_factory.mktemp("scratch") / "unpacked")
    assert message in refused.value.message

    with pytest.raises(PackageInvalid):
        content_upload(uploaded=SimpleUploadedFile("goi.h5p", data), title="", owner=author)
    assert not H5PContent.objects.exists() and not H5PPackage.objects.exists()
    assert not [path for path in media_root.rglob("*") if path.is_file()]


@FUZZ
@given(data=any_package)
def test_an_h5p_upload_is_stored_or_refused_leaving_nothing(media_root, author, data):
    before, files_before = counts(H5PContent, H5PPackage), files_under(media_root)
    try:
        content = content_upload(uploaded=SimpleUploadedFile("goi.h5p", data), title="Fuzz", owner=author)
    except PackageInvalid as error:
        assert error.message
        assert counts(H5PContent, H5PPackage) == before
        assert files_under(media_root) == files_before
    else:
        assert H5PContent.objects.filter(pk=content.pk).exists()
        assert (media_root / "h5p" / content.package.sha256 / "h5p.json").is_file()


@FUZZ_HTTP
@given(data=any_package)
def test_the_h5p_upload_page_never_answers_500(client, media_root, author, data):
    login_with_totp(client, author)
    before, files_before = counts(H5PContent, H5PPackage), files_under(media_root)
    response = client.post(
        reverse("h5p_contents:add"),
        {"title": "", "pass_percent": 100, "grading_method": "highest", "package": SimpleUploadedFile("g.h5p", data)},
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert counts(H5PContent, H5PPackage) == before
        assert files_under(media_root) == files_before


# Question files ------------------------------------------------------------------------------------------

GIFT = """// [tag:IU14] An toàn thông tin
$CATEGORY: $course$/top/An toàn/Mật khẩu

::Mật khẩu mạnh::Mật khẩu nào an toàn nhất?{=T@m-Bi3t!#Dài và đa dạng ~123456#Dễ đoán ~ngaysinh1990}

::Thư lừa đảo::Mọi thư có logo cơ quan đều an toàn.{FALSE#Sai rồi#Đúng}

::Thuật ngữ::Việc giữ thông tin không bị lộ gọi là {=bảo mật =bảo mật thông tin}.

::Tổng::2 + 3,5 = ?{#5.5:0.01}

::Ghép::Ghép phím tắt.{=Ctrl+C -> Sao chép =Ctrl+V -> Dán =Ctrl+Z -> Hoàn tác}

::Tự luận::Trình bày cách xử lý mã độc.{}
"""

MOODLE = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/top/An toàn</text></category></question>
  <question type="multichoice">
    <name><text>Mật khẩu mạnh</text></name>
    <questiontext format="html"><text><![CDATA[<p>Mật khẩu nào <b>an toàn</b> nhất?</p>]]></text></questiontext>
    <defaultgrade>1</defaultgrade><single>true</single>
    <answer fraction="100"><text>T@m-Bi3t!</text><feedback><text>Đúng</text></feedback></answer>
    <answer fraction="0"><text>123456</text></answer>
    <tags><tag><text>IU14</text></tag></tags>
  </question>
  <question type="truefalse">
    <name><text>Thư lừa đảo</text></name>
    <questiontext format="plain_text"><text>Mọi thư có logo đều an toàn.</text></questiontext>
    <answer fraction="0"><text>true</text></answer><answer fraction="100"><text>false</text></answer>
  </question>
  <question type="numerical">
    <name><text>Tổng</text></name>
    <questiontext><text>2 + 3,5 = ?</text></questiontext>
    <answer fraction="100"><text>5.5</text><tolerance>0.01</tolerance></answer>
  </question>
</quiz>
"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>
<quiz><question type="essay"><name><text>&c;</text></name>
<questiontext><text>&c;</text></questiontext></question></quiz>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<quiz><question type="essay"><name><text>&secret;</text></name>
<questiontext><text>x</text></questiontext></question></quiz>"""
PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/x.dtd"> %remote;]><quiz/>"""
XML_ATTACKS = [
    BILLION_LAUGHS, EXTERNAL_ENTITY, PARAMETER_ENTITY,
    b'<?xml version="1.0"?><!DOCTYPE quiz SYSTEM "http://127.0.0.1:9/quiz.dtd"><quiz/>',
    b'<quiz xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="/etc/passwd" parse="text"/></quiz>',
    b'<?xml version="1.0" encoding="x-unknown"?><quiz/>',
    b"<quiz>" + b"<a>" * 100_000 + b"</a>" * 100_000 + b"</quiz>",
    b"<quiz>&#0;</quiz>",
    b'<?xml version="1.0" encoding="UTF-16"?><quiz/>',
]

QUESTION_TYPES = ["multichoice", "truefalse", "shortanswer", "numerical", "matching", "essay", "ordering",
                  "category", "calculated", "", "cloze"]


FRACTIONS = ["100", "0", "50", "-100", "33.33333"]


def xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@st.composite
def moodle_files(draw) -> bytes:
    """Well-formed Moodle XML whose values are hostile (where XML allows them)."""
    def value() -> str:
        return xml_escape("".join(char for char in draw(hostile_text) if char >= " " or char in "\t\n\r"))

    questions = []
    for _number in range(draw(st.integers(1, 4))):
        answers = "".join(
            f'<answer fraction="{value() if draw(st.booleans()) else draw(st.sampled_from(FRACTIONS))}">'
            f"<text>{value()}</text><tolerance>{value()}</tolerance>"
            f"<feedback><text>{value()}</text></feedback></answer>"
            for _answer in range(draw(st.integers(0, 4)))
        )
        questions.append(
            f'<question type="{draw(st.sampled_from(QUESTION_TYPES))}"><name><text>{value()}</text></name>'
            f'<questiontext format="{draw(st.sampled_from(["html", "plain_text", "moodle_auto_format", "x"]))}">'
            f"<text>{value()}</text></questiontext><defaultgrade>{value()}</defaultgrade>"
            f"<single>{value()}</single><category><text>{value()}</text></category>{answers}"
            f"<subquestion><text>{value()}</text><answer><text>{value()}</text></answer></subquestion>"
            f"<tags><tag><text>{value()}</text></tag></tags></question>"
        )
    text = '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>' + "".join(questions) + "</quiz>"
    return text.encode("utf-8", errors="surrogatepass")


def xlsx_of(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return same_bytes_every_time(buffer.getvalue())


def same_bytes_every_time(xlsx: bytes) -> bytes:
    """openpyxl stamps the time into docProps/core.xml (created, modified) and every zip entry, so the same
    rows compressed to a different size from one second to the next; the size decides later draws
    (`mutated`), and Hypothesis refuses a strategy whose replay draws differently (FlakyStrategyDefinition)."""
    source, out = zipfile.ZipFile(io.BytesIO(xlsx)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", content)
            target.writestr(zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0)), content,
                            compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


QUESTION_HEADER = ["Danh mục", "Tên câu hỏi", "Loại", "Nội dung câu hỏi", "Đáp án", "Phương án A", "Phương án B",
                   "Phương án C", "Điểm", "Năng lực"]
QUESTION_ROW = ["An toàn/Mật khẩu", "Mật khẩu mạnh", "một lựa chọn", "Mật khẩu nào an toàn nhất?", "C", "123456",
                "ngaysinh1990", "T@m-Bi3t!", 1, "IU14"]

# openpyxl refuses control characters in cells; everything else goes in.
cell_values = st.one_of(
    hostile_text.map(lambda text: "".join(char for char in text if char >= " " or char in "\t\n\r")[:32_000]),
    st.integers(), st.floats(allow_nan=False), st.none(), st.booleans(),
)


@st.composite
def question_workbooks(draw) -> bytes:
    header = list(QUESTION_HEADER)
    if draw(st.booleans()):
        header[draw(st.integers(0, len(header) - 1))] = draw(cell_values)
    rows = [header, QUESTION_ROW]
    for _row in range(draw(st.integers(0, 4))):
        rows.append([draw(cell_values) for _cell in header])
    data = xlsx_of(rows)
    variant = draw(st.sampled_from(["as is", "as is", "mutated", "bomb"]))
    if variant == "mutated":
        data = draw(mutated(data))
    elif variant == "bomb":
        data = declared_size_bomb(data, "xl/worksheets/sheet1.xml", 2 * 10**9)
    return data


@st.composite
def question_files(draw) -> tuple[bytes, str]:
    file_format = draw(st.sampled_from(["gift", "moodle_xml", "xlsx"]))
    if file_format == "gift":
        lines = GIFT.split("\n")
        for _step in range(draw(st.integers(0, 4))):
            index = draw(st.integers(0, len(lines) - 1))
            if draw(st.booleans()):
                position = draw(st.integers(0, len(lines[index])))
                lines[index] = lines[index][:position] + draw(hostile_text) + lines[index][position:]
            else:
                prefix = draw(st.sampled_from(["", "$CATEGORY: ", "// [tag:", "::"]))
                lines[index:index] = ["", prefix + draw(hostile_text), ""]
        if draw(st.sampled_from(["category switch", "none"])) == "category switch":  # between two good questions
            index = draw(st.sampled_from([number for number, line in enumerate(lines) if not line.strip()]))
            path = draw(st.one_of(st.sampled_from(PATHS), hostile_text))
            lines[index:index] = ["", "$CATEGORY: " + path, ""]
        text = draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)
        data = encode(text, draw(st.sampled_from(ENCODINGS)))
    elif file_format == "moodle_xml":
        data = draw(st.one_of(moodle_files(), st.sampled_from(XML_ATTACKS), mutated(MOODLE.encode())))
    else:
        data = draw(question_workbooks())
    if draw(st.integers(0, 9)) == 0:
        data = draw(st.binary(max_size=256))
    return data, file_format


@pytest.fixture
def bank(author):
    return category_save(actor=author, name="Ngân hàng thử")


def test_the_question_samples_of_the_fuzzer_are_imported(author, bank):
    for data, file_format in ((GIFT.encode(), "gift"), (MOODLE.encode(), "moodle_xml"),
                              (xlsx_of([QUESTION_HEADER, QUESTION_ROW]), "xlsx")):
        parsed = read_question_file(data=data, file_format=file_format)
        report = questions_import(actor=author, category=bank, parsed=parsed)
        assert report.imported and not report.skipped, file_format


QUESTION_MODELS = (Question, QuestionVersion, QuestionCategory, QuestionCompetency)


@FUZZ
@given(sample=question_files(), skip_bad=st.booleans())
def test_a_question_file_is_imported_or_rejected_leaving_nothing(author, bank, sample, skip_bad):
    data, file_format = sample
    before = counts(*QUESTION_MODELS)
    try:
        parsed = read_question_file(data=data, file_format=file_format)
        report = questions_import(actor=author, category=bank, parsed=parsed, skip_bad=skip_bad)
    except AssessmentsError as error:
        assert error.message
        if isinstance(error, ImportRejected):
            assert all(problem.message for problem in error.problems)
        assert counts(*QUESTION_MODELS) == before
    else:
        assert report.imported
        assert Question.objects.count() == before[0] + len(report.imported)


def test_a_moodle_file_in_an_unknown_encoding_is_rejected(author, bank):
    """Found by the fuzzer: expat's LookupError went up as a 500."""
    with pytest.raises(ImportRejected) as rejected:
        read_question_file(data=b'<?xml version="1.0" encoding="x-unknown"?><quiz/>', file_format="moodle_xml")
    assert "unknown text encoding" in rejected.value.message



@pytest.mark.parametrize("path, message", [
    ("/".join(["Cấp"] * 3000), "more than 10 levels deep"),  # RecursionError in _category_at before
    ("x" * 300, "at most 255 characters"),
])
def test_a_category_path_no_bank_can_hold_is_rejected_before_anything_is_written(author, bank, path, message):
    """Found by the fuzzer: a GIFT file switching to a 3,000-level category after a good question
    crashed (RecursionError); an over-long category name failed only after the first question was written."""
    text = f"::A::Câu một?{{T}}\n\n$CATEGORY: {path}\n\n::B::Câu hai?{{F}}\n"
    parsed = read_question_file(data=text.encode(), file_format="gift")
    with pytest.raises(ImportRejected) as rejected:
        questions_import(actor=author, category=bank, parsed=parsed)
    assert message in " ".join(problem.message for problem in rejected.value.problems)
    report = questions_import(actor=author, category=bank, parsed=parsed, skip_bad=True)
    assert [question.name for question in report.imported] == ["A"] and len(report.skipped) == 1
    assert QuestionCategory.objects.count() == 1 and Question.objects.count() == 1


@FUZZ_HTTP
@given(sample=question_files(), name=st.sampled_from(["q.gift", "q.txt", "q.xml", "q.xlsx", "q.bin", "q"]),
       declared=st.sampled_from(["", "gift", "moodle_xml", "xlsx"]), skip_bad=st.booleans())
def test_the_question_import_page_never_answers_500(client, author, bank, sample, name, declared, skip_bad):
    client.force_login(author)
    data, _format = sample
    before = counts(*QUESTION_MODELS)
    fields = {"file": SimpleUploadedFile(name, data), "category": bank.pk, "file_format": declared}
    if skip_bad:
        fields["skip_bad"] = "on"
    response = client.post(reverse("assessment_questions:import"), fields)
    assert response.status_code in (200, 302)
    if response.status_code == 200 and not response.context.get("report"):
        assert counts(*QUESTION_MODELS) == before


# Staff lists ---------------------------------------------------------------------------------------------

ROSTER_HEADER = ["employee_code", "full_name", "email", "unit_code", "position", "staff_category", "audience",
                 "is_leader", "is_cio", "it_qualification", "gender", "birth_year", "phone"]


def roster_row(code: str) -> list:
    return [code, f"Nguyễn Văn {code}", f"{code.lower()}@nghean.gov.vn", "", "Chuyên viên", "Công chức", "general",
            "", "", "chứng chỉ", "Nữ", 1988, "0912 345 678"]


ROSTER_CELL_TOKENS = [
    "NV01", "nv01", "NV-ĐA01", "MAU-0001", "nguyen.thi.mau@example.com", "a@b", "x@nghean.gov.vn", "NA-SNV",
    "NA-SYT", "40", "x", "có", "không", "1988", "0912345678", "912345678", "84912345678", "Công chức", "farmer",
]
roster_cells = st.one_of(hostile_text, st.sampled_from(ROSTER_CELL_TOKENS))


@st.composite
def roster_tables(draw) -> list[list]:
    header = list(ROSTER_HEADER)
    if draw(st.integers(0, 3)) == 0:
        header = draw(st.permutations(header))[: draw(st.integers(0, len(header)))]
        if draw(st.booleans()):
            header.append(draw(st.sampled_from(["Mã cán bộ", "Họ và tên", "employee_code", "", "Ghi chú"])))
    rows = [header, roster_row("NV%02d" % draw(st.integers(0, 99)))]
    for _row in range(draw(st.integers(0, 4))):
        rows.append([draw(roster_cells) for _cell in range(len(header) + draw(st.integers(-2, 1)))])
    return rows


@st.composite
def roster_files(draw) -> tuple[bytes, str]:
    rows = draw(roster_tables())
    kind = draw(st.sampled_from(["csv", "csv", "xlsx", "xlsx", "bytes"]))
    if kind == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=draw(st.sampled_from([",", ";", "\t"])),
                            lineterminator=draw(st.sampled_from(["\r\n", "\n", "\r"])))
        for row in rows:
            writer.writerow(row)
        text = buffer.getvalue()
        if draw(st.booleans()):
            text = "\ufeff" + text
        data, name = encode(text, draw(st.sampled_from(ENCODINGS))), "danh-sach.csv"
    elif kind == "xlsx":
        clean = [[cell if not isinstance(cell, str) else "".join(c for c in cell if c >= " " or c in "\t\n\r")
                  for cell in row] for row in rows]
        data, name = xlsx_of(clean), draw(st.sampled_from(["danh-sach.xlsx", "danh-sach.csv"]))
        variant = draw(st.sampled_from(["as is", "as is", "mutated", "bomb"]))
        if variant == "mutated":
            data = draw(mutated(data))
        elif variant == "bomb":
            data = declared_size_bomb(data, "xl/worksheets/sheet1.xml", 2 * 10**9)
    else:
        data, name = draw(st.binary(max_size=512)), draw(st.sampled_from(["a.xlsx", "a.csv", "a.xls", "a"]))
    if draw(st.integers(0, 9)) == 0:
        data = draw(mutated(data))
    return data, name


ROSTER_MODELS = (RosterImport, User, Person, EmailAddress)


@pytest.fixture
def officer(make_person, unit_a):
    return make_person(unit=unit_a, roles=[Role.UNIT_OFFICER, Role.LEARNER], full_name="Trần Thị Cán Bộ")


def test_the_roster_sample_of_the_fuzzer_is_accepted(officer):
    data = xlsx_of([ROSTER_HEADER, roster_row("NV01")])
    roster_import = roster_preview_create(user=officer.user, upload=SimpleUploadedFile("a.xlsx", data))
    assert roster_import.created_count == 1 and roster_import.rejected_count == 0


def _with_sheet(data: bytes, change) -> bytes:
    """The workbook with its first sheet's XML changed by `change`."""
    source, buffer = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info)
            archive.writestr(info.filename, change(content) if info.filename == "xl/worksheets/sheet1.xml" else content)
    return buffer.getvalue()


def test_a_staff_list_that_unpacks_to_far_too_much_is_refused(officer):
    """Found by the fuzz pass: the roster reader had no unpacked-size limit, and openpyxl holds a sheet's
    strings in memory; 60 MB of padding packs into a file well under the upload limit."""
    workbook = xlsx_of([ROSTER_HEADER, roster_row("NV01")])
    bomb = _with_sheet(workbook, lambda xml: xml.replace(b"<sheetData>", b"<sheetData>" + b" " * 60 * 1024 * 1024))
    assert len(bomb) < 1024 * 1024
    with pytest.raises(RosterFileError, match="unpacks to far more data"):
        roster_preview_create(user=officer.user, upload=SimpleUploadedFile("bom.xlsx", bomb))
    assert not RosterImport.objects.exists()


def test_a_staff_list_claiming_rows_past_excels_last_row_is_not_walked_to_them(officer):
    """Found by the fuzz pass: a row numbered 2,000,000,000 made the reader yield every empty row before it
    (minutes of CPU for a 6 kB file). Rows past Excel's last row (1,048,576) are not read."""
    workbook = xlsx_of([ROSTER_HEADER, roster_row("NV01")])
    far = _with_sheet(workbook, lambda xml: xml.replace(b'r="2"', b'r="5000000"').replace(b"2\"", b"5000000\""))
    with pytest.raises(RosterFileError, match="a header row but no staff rows"):
        roster_preview_create(user=officer.user, upload=SimpleUploadedFile("xa.xlsx", far))


@FUZZ
@given(sample=roster_files())
def test_a_staff_list_is_previewed_and_applied_or_refused_leaving_nothing(officer, sample):
    data, name = sample
    imports, users, people, addresses = before = counts(*ROSTER_MODELS)
    try:
        roster_import = roster_preview_create(user=officer.user, upload=SimpleUploadedFile(name, data))
    except RosterFileError as error:
        assert error.message
        assert counts(*ROSTER_MODELS) == before
        return
    # The dry run writes the import and nothing about people.
    assert counts(*ROSTER_MODELS) == (imports + 1, users, people, addresses)
    try:
        applied = roster_import_apply(roster_import=roster_import, user=officer.user)
    except RosterError as error:
        assert error.message
        assert counts(*ROSTER_MODELS) == (imports + 1, users, people, addresses)
        return
    created = applied.created_count
    assert counts(*ROSTER_MODELS) == (imports + 1, users + created, people + created, addresses + created)


@FUZZ_HTTP
@given(sample=roster_files())
def test_the_roster_pages_never_answer_500(client, officer, sample):
    data, name = sample
    login_with_totp(client, officer.user)
    before = counts(*ROSTER_MODELS)
    response = client.post(reverse("organisations:roster_upload"), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert counts(*ROSTER_MODELS) == before
        return
    roster_import = RosterImport.objects.latest("pk")
    assert client.get(reverse("organisations:roster_preview", args=[roster_import.pk])).status_code == 200
    assert client.post(reverse("organisations:roster_apply", args=[roster_import.pk])).status_code == 302

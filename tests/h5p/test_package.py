"""Uploading H5P packages: the real TrueFalse package is accepted and stored once per SHA-256; every
bad package is refused with a message naming the file, leaving nothing on disk or in the database."""

import hashlib
import json

import pytest

from h5p.errors import PackageInvalid
from h5p.models import H5PContent, H5PPackage
from h5p.services import content_upload
from tests.h5p.conftest import build_zip, upload, workspace_files

pytestmark = pytest.mark.django_db


def test_the_truefalse_package_is_accepted_unpacked_and_described(media_root, trainer, truefalse_bytes):
    content = content_upload(uploaded=upload(truefalse_bytes), title="", owner=trainer)

    package = content.package
    assert package.sha256 == hashlib.sha256(truefalse_bytes).hexdigest()
    assert package.main_library == "H5P.TrueFalse-1.6"
    assert "H5P.Question-1.4" in package.libraries and "FontAwesome-4.5" in package.libraries
    assert package.h5p_json["mainLibrary"] == "H5P.TrueFalse"
    assert content.title == "Hello World"  # the package's own title when none is given
    assert content.pass_percent == 100 and content.owner == trainer
    folder = media_root / "h5p" / package.sha256
    assert json.loads((folder / "content" / "content.json").read_text())["question"] == "<p>Is this false?</p>\n"
    assert (folder / "H5P.TrueFalse-1.6" / "library.json").is_file()
    assert (media_root / package.file.name).read_bytes() == truefalse_bytes


def test_the_same_package_uploaded_twice_is_stored_once(media_root, trainer, other_trainer, truefalse_bytes):
    first = content_upload(uploaded=upload(truefalse_bytes), title="Lần 1", owner=trainer)
    second = content_upload(uploaded=upload(truefalse_bytes, "ban-sao.h5p"), title="Lần 2", owner=other_trainer)

    assert first.package_id == second.package_id
    assert H5PPackage.objects.count() == 1 and H5PContent.objects.count() == 2
    assert len(list((media_root / "h5p_packages").iterdir())) == 1
    assert [p.name for p in (media_root / "h5p").iterdir()] == [first.package.sha256]


def _without(files, prefix):
    return {name: data for name, data in files.items() if not name.startswith(prefix)}


def _with_json(files, name, change):
    data = json.loads(files[name])
    change(data)
    return {**files, name: json.dumps(data).encode()}


def _bad_packages():
    good = workspace_files()
    return {
        "not a zip": (b"this is not a zip file", "not an H5P package"),
        "zip slip": (build_zip({**good, "../../evil.json": b"{}"}), "“../../evil.json”: paths leading out"),
        "nested zip slip": (build_zip({**good, "content/../../x.json": b"{}"}), "“content/../../x.json”: paths leading"),
        "absolute path": (build_zip({**good, "/etc/cron.d/x.txt": b"x"}), "“/etc/cron.d/x.txt”: absolute paths"),
        "backslash": (build_zip({**good, "content\\..\\x.json": b"{}"}), "backslashes are not allowed"),
        "symlink": (
            build_zip(good, symlinks={"content/link.json": "/etc/passwd"}),
            "“content/link.json”: symbolic links are not allowed",
        ),
        "svg in content": (
            build_zip({**good, "content/images/logo.svg": b"<svg onload='alert(1)'/>"}),
            "“content/images/logo.svg”: files of this type are not allowed in content/",
        ),
        "script in content": (
            build_zip({**good, "content/run.js": b"alert(1)"}),
            "“content/run.js”: files of this type are not allowed in content/",
        ),
        "executable in a library": (
            build_zip({**good, "H5P.TrueFalse-1.6/tool.exe": b"MZ"}),
            "“H5P.TrueFalse-1.6/tool.exe”: files of this type are not allowed",
        ),
        "missing h5p.json": (build_zip(_without(good, "h5p.json")), "“h5p.json” is missing"),
        "h5p.json lacks keys": (
            build_zip(_with_json(good, "h5p.json", lambda data: data.pop("embedTypes"))),
            "“h5p.json” lacks the required keys: embedTypes",
        ),
        "h5p.json title not text": (
            build_zip(_with_json(good, "h5p.json", lambda data: data.update(title=["x"]))),
            "“h5p.json”: “title” and “mainLibrary” must be text",
        ),
        "library.json lacks keys": (
            build_zip(_with_json(good, "Drop-1.0/library.json", lambda data: data.pop("runnable"))),
            "“Drop-1.0/library.json” lacks the required keys: runnable",
        ),
        "misnamed library folder": (
            build_zip({name.replace("Tether-1.0/", "Tether-9.9/"): data for name, data in good.items()}),
            "“Tether-9.9/”: a library folder must be named “Tether-1.0”",
        ),
        "missing dependency": (
            build_zip(_without(good, "H5P.Question-1.4/")),
            "needs the library “H5P.Question-1.4”, which is not in the package",
        ),
        "missing content.json": (build_zip(_without(good, "content/")), "“content/content.json” is missing"),
        "content.json is not JSON": (
            build_zip({**good, "content/content.json": b"{not json"}),
            "“content/content.json” is not valid JSON",
        ),
    }


@pytest.mark.parametrize("case", list(_bad_packages()))
def test_a_bad_package_is_refused_naming_the_file_and_leaves_nothing(case, media_root, trainer):
    data, message = _bad_packages()[case]

    with pytest.raises(PackageInvalid) as refused:
        content_upload(uploaded=upload(data), title="Gói lỗi", owner=trainer)

    assert message in refused.value.message
    assert not H5PPackage.objects.exists() and not H5PContent.objects.exists()
    assert not [path for path in media_root.rglob("*") if path.is_file()]


def test_a_zip_bomb_is_stopped_by_the_bytes_really_unpacked(media_root, trainer, settings):
    settings.H5P_MAX_COMPRESSION_RATIO = 50
    bomb = build_zip({**workspace_files(), "content/zeros.txt": b"\0" * (4 * 1024 * 1024)})

    with pytest.raises(PackageInvalid) as refused:
        content_upload(uploaded=upload(bomb), title="Bom", owner=trainer)

    assert "“content/zeros.txt”: compressed more than 50 times" in refused.value.message
    assert not [path for path in media_root.rglob("*") if path.is_file()]


def test_the_unpacked_size_limit_counts_real_bytes(media_root, trainer, settings):
    settings.H5P_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    with pytest.raises(PackageInvalid) as refused:
        content_upload(uploaded=upload(build_zip(workspace_files())), title="Lớn", owner=trainer)
    assert "the package unpacks to more than 1 MB" in refused.value.message
    assert not H5PPackage.objects.exists()


def test_too_many_files_are_refused(media_root, trainer, settings):
    settings.H5P_MAX_FILES = 50
    with pytest.raises(PackageInvalid) as refused:
        content_upload(uploaded=upload(build_zip(workspace_files())), title="Nhiều tệp", owner=trainer)
    assert "at most 50 are allowed" in refused.value.message


def test_an_upload_over_the_size_limit_is_refused_before_reading(media_root, trainer, settings, truefalse_bytes):
    settings.H5P_MAX_UPLOAD_BYTES = 1024
    with pytest.raises(PackageInvalid, match="larger than 0 MB"):
        content_upload(uploaded=upload(truefalse_bytes), title="", owner=trainer)


def _lie_about_size(data: bytes, name: str, declared: int) -> bytes:
    """Rewrite the uncompressed size the zip's headers give for one member (local and central)."""
    import struct
    import zipfile
    from io import BytesIO

    info = zipfile.ZipFile(BytesIO(data)).getinfo(name)
    patched = bytearray(data)
    struct.pack_into("<I", patched, info.header_offset + 22, declared)  # local header
    position = patched.find(b"PK\x01\x02")
    while position != -1:
        length = struct.unpack_from("<H", patched, position + 28)[0]
        if bytes(patched[position + 46:position + 46 + length]) == name.encode():
            struct.pack_into("<I", patched, position + 24, declared)  # central directory
            return bytes(patched)
        position = patched.find(b"PK\x01\x02", position + 4)
    raise AssertionError(name)


def test_a_member_whose_headers_understate_its_size_is_refused(media_root, trainer):
    data = build_zip({**workspace_files(), "content/zeros.txt": b"\0" * (3 * 1024 * 1024)})
    lying = _lie_about_size(data, "content/zeros.txt", 100)

    with pytest.raises(PackageInvalid) as refused:
        content_upload(uploaded=upload(lying), title="Khai gian", owner=trainer)

    assert "damaged" in refused.value.message or "zip bomb" in refused.value.message
    assert not H5PPackage.objects.exists()
    assert not [path for path in media_root.rglob("*") if path.is_file()]

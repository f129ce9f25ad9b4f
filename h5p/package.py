"""Checking and unpacking an uploaded `.h5p` package, the way h5p-php-library's H5PValidator does.

`package_extract(source, target)` reads the zip once: every name is checked before anything is
written (no `..`, absolute paths, backslashes or symlinks; the extension allowed in its area; the
file count), then files are written into `target` while their real bytes are counted (the sizes in
zip headers can lie), and finally `h5p.json` and every `library.json` are validated. Any refusal
raises `PackageInvalid` naming the file; the caller removes `target`.
"""

from __future__ import annotations

import json
import lzma
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.utils.translation import gettext as _

from .errors import PackageInvalid

# h5p-php-library's default whitelist ("content" area), plus the document types trainers use.
CONTENT_EXTENSIONS = frozenset(
    "json png jpg jpeg gif bmp tif tiff eot ttf woff woff2 otf webm mp4 ogg mp3 m4a wav txt pdf rtf "
    "doc docx xls xlsx ppt pptx odt ods odp csv vtt webvtt gltf glb".split()
)
# Libraries additionally carry code, styles and vector images.
LIBRARY_EXTENSIONS = CONTENT_EXTENSIONS | {"js", "css", "svg", "xml"}
H5P_JSON_KEYS = ("title", "language", "preloadedDependencies", "mainLibrary", "embedTypes")
LIBRARY_JSON_KEYS = ("title", "majorVersion", "minorVersion", "patchVersion", "machineName", "runnable")
MACHINE_NAME = re.compile(r"^[\w.-]{1,255}$")
CHUNK = 64 * 1024
# A file may be this many times smaller packed than unpacked before the ratio limit applies to it:
# tiny files (empty JSON, a blank line) always compress "too well".
RATIO_FLOOR_BYTES = 64 * 1024
# File systems refuse longer names (bytes per path part); a longer path is no H5P content either.
MAX_NAME_PART_BYTES = 255
MAX_NAME_CHARS = 1024
# What reading a damaged member raises: zipfile's own errors, and the decompressors' (bz2 raises OSError).
DAMAGED_MEMBER_ERRORS = (
    zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, RuntimeError, ValueError,
    zlib.error, lzma.LZMAError, OSError,
)


class _DamagedMember(Exception):
    """Reading a member failed; kept apart from errors writing it out, which are the server's."""


@dataclass(frozen=True)
class PackageInfo:
    """What the player and the catalogue need from a valid package."""

    h5p_json: dict
    main_library: str
    libraries: list[str]
    file_count: int
    size: int


def _refuse(message: str):
    raise PackageInvalid(message)


def _area_extensions(parts: tuple[str, ...]) -> frozenset[str]:
    # content/ and loose top-level files may hold media only; library folders may hold code.
    if parts[0] == "content" or len(parts) == 1:
        return CONTENT_EXTENSIONS
    return LIBRARY_EXTENSIONS


def _is_ignored(parts: tuple[str, ...]) -> bool:
    # Archivers' droppings, skipped like H5PValidator skips dot files.
    return parts[0] == "__MACOSX" or any(part.startswith(".") for part in parts)


def _check_member(info: zipfile.ZipInfo) -> tuple[str, ...] | None:
    """The member's path parts, None for a directory or an ignored file; refuse an unsafe one."""
    name = info.filename
    if "\\" in name:
        _refuse(_("“%(name)s”: backslashes are not allowed in file names.") % {"name": name})
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        _refuse(_("“%(name)s”: absolute paths are not allowed.") % {"name": name})
    parts = tuple(part for part in PurePosixPath(name).parts)
    if ".." in parts or "\x00" in name:
        _refuse(_("“%(name)s”: paths leading out of the package are not allowed.") % {"name": name})
    if len(name) > MAX_NAME_CHARS or any(len(part.encode()) > MAX_NAME_PART_BYTES for part in parts):
        _refuse(_("“%(name)s”: the file name is too long.") % {"name": name[:200]})
    if stat.S_ISLNK(info.external_attr >> 16):
        _refuse(_("“%(name)s”: symbolic links are not allowed.") % {"name": name})
    if info.is_dir() or not parts or _is_ignored(parts):
        return None
    extension = PurePosixPath(name).suffix.lower().lstrip(".")
    if extension not in _area_extensions(parts):
        if parts[0] == "content":
            _refuse(_("“%(name)s”: files of this type are not allowed in content/.") % {"name": name})
        _refuse(_("“%(name)s”: files of this type are not allowed in an H5P package.") % {"name": name})
    return parts


def _copy_counting(archive: zipfile.ZipFile, info: zipfile.ZipInfo, destination: Path, total: int) -> int:
    """Write one member, counting its real bytes against the size and ratio limits; return the new total."""
    max_total = settings.H5P_MAX_UNCOMPRESSED_BYTES
    max_ratio = settings.H5P_MAX_COMPRESSION_RATIO
    written = 0
    destination.parent.mkdir(parents=True, exist_ok=True)
    try:
        source = archive.open(info)
    except DAMAGED_MEMBER_ERRORS as error:
        raise _DamagedMember from error
    with source, open(destination, "xb") as out:
        while chunk := _read_chunk(source):
            written += len(chunk)
            total += len(chunk)
            if total > max_total:
                _refuse(
                    _("“%(name)s”: the package unpacks to more than %(limit)s MB.")
                    % {"name": info.filename, "limit": max_total // (1024 * 1024)}
                )
            if written > RATIO_FLOOR_BYTES and written > max_ratio * max(info.compress_size, 1):
                _refuse(
                    _("“%(name)s”: compressed more than %(ratio)s times; the package looks like a zip bomb.")
                    % {"name": info.filename, "ratio": max_ratio}
                )
            out.write(chunk)
    return total


def _read_chunk(source) -> bytes:
    try:
        return source.read(CHUNK)
    except DAMAGED_MEMBER_ERRORS as error:
        raise _DamagedMember from error


def _read_json(root: Path, relative: str) -> dict:
    path = root / relative
    if not path.is_file():
        _refuse(_("“%(name)s” is missing.") % {"name": relative})
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        _refuse(_("“%(name)s” is not valid JSON.") % {"name": relative})
    if not isinstance(data, dict):
        _refuse(_("“%(name)s” must hold a JSON object.") % {"name": relative})
    return data


def _missing_keys(data: dict, keys: tuple[str, ...]) -> list[str]:
    return [key for key in keys if key not in data or data[key] in (None, "")]


def _dependency_names(data: dict, relative: str) -> list[str]:
    """'machineName-major.minor' of each preloaded and dynamic dependency the JSON file declares."""
    names = []
    for key in ("preloadedDependencies", "dynamicDependencies"):
        entries = data.get(key, [])
        if not isinstance(entries, list):
            _refuse(_("“%(name)s”: “%(key)s” must be a list.") % {"name": relative, "key": key})
        for entry in entries:
            try:
                names.append(f"{entry['machineName']}-{int(entry['majorVersion'])}.{int(entry['minorVersion'])}")
            except (KeyError, TypeError, ValueError, OverflowError):
                _refuse(_("“%(name)s”: a dependency in “%(key)s” is malformed.") % {"name": relative, "key": key})
    return names


def _validate_library(root: Path, folder: str) -> tuple[dict, list[str]]:
    relative = f"{folder}/library.json"
    data = _read_json(root, relative)
    missing = _missing_keys(data, LIBRARY_JSON_KEYS)
    if missing:
        _refuse(_("“%(name)s” lacks the required keys: %(keys)s.") % {"name": relative, "keys": ", ".join(missing)})
    if not isinstance(data["machineName"], str) or not MACHINE_NAME.match(data["machineName"]):
        _refuse(_("“%(name)s”: the machine name is invalid.") % {"name": relative})
    try:
        expected = f"{data['machineName']}-{int(data['majorVersion'])}.{int(data['minorVersion'])}"
        int(data["patchVersion"])
    except (TypeError, ValueError, OverflowError):
        _refuse(_("“%(name)s”: the version numbers must be whole numbers.") % {"name": relative})
    if folder != expected:
        _refuse(
            _("“%(folder)s/”: a library folder must be named “%(expected)s” after its library.json.")
            % {"folder": folder, "expected": expected}
        )
    return data, _dependency_names(data, relative)


def _storable(data: dict) -> bool:
    """Whether PostgreSQL's jsonb column takes it: no NUL character, no NaN or infinite number."""
    try:
        return "\\u0000" not in json.dumps(data, allow_nan=False)
    except ValueError:
        return False


def _validate_tree(root: Path, folders: set[str]) -> tuple[dict, list[str]]:
    h5p_json = _read_json(root, "h5p.json")
    if not _storable(h5p_json):
        _refuse(_("“h5p.json” holds a NUL character or a number that is not finite."))
    missing = _missing_keys(h5p_json, H5P_JSON_KEYS)
    if missing:
        _refuse(_("“h5p.json” lacks the required keys: %(keys)s.") % {"keys": ", ".join(missing)})
    if not isinstance(h5p_json["title"], str) or not isinstance(h5p_json["mainLibrary"], str):
        _refuse(_("“h5p.json”: “title” and “mainLibrary” must be text."))
    embed_types = h5p_json["embedTypes"]
    if (
        not isinstance(embed_types, list)
        or not embed_types
        or not all(isinstance(kind, str) and kind in {"div", "iframe"} for kind in embed_types)
    ):
        _refuse(_("“h5p.json”: “embedTypes” must list “div” and/or “iframe”."))
    if "content" not in folders:
        _refuse(_("“content/content.json” is missing."))
    _read_json(root, "content/content.json")
    libraries, required = {}, {name: "h5p.json" for name in _dependency_names(h5p_json, "h5p.json")}
    for folder in sorted(folders - {"content"}):
        data, dependencies = _validate_library(root, folder)
        libraries[folder] = data
        for dependency in dependencies:
            required.setdefault(dependency, f"{folder}/library.json")
    for dependency, needed_by in required.items():
        if dependency not in libraries:
            _refuse(
                _("“%(name)s” needs the library “%(library)s”, which is not in the package.")
                % {"name": needed_by, "library": dependency}
            )
    main = [folder for folder, data in libraries.items() if data["machineName"] == h5p_json["mainLibrary"]]
    if not main:
        _refuse(
            _("“h5p.json”: the main library “%(library)s” is not in the package.")
            % {"library": h5p_json["mainLibrary"]}
        )
    return h5p_json, sorted(libraries)


def package_extract(source, target: Path) -> PackageInfo:
    """Check the zip `source` (a path or file object) and unpack it into `target` (must not exist)."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError):
        _refuse(_("The file is not an H5P package (not a zip archive)."))
    with archive:
        members = archive.infolist()
        if len(members) > settings.H5P_MAX_FILES:
            _refuse(
                _("The package holds %(count)s files; at most %(limit)s are allowed.")
                % {"count": len(members), "limit": settings.H5P_MAX_FILES}
            )
        accepted = [(info, parts) for info in members if (parts := _check_member(info)) is not None]
        names = [parts for _info, parts in accepted]
        files = {"/".join(parts).lower() for parts in names}
        if len(files) != len(names):
            _refuse(_("The package holds the same file name twice."))
        folders_lower = {"/".join(parts[:end]).lower() for parts in names for end in range(1, len(parts))}
        if files & folders_lower:
            _refuse(
                _("“%(name)s” is both a file and a folder in the package.") % {"name": sorted(files & folders_lower)[0]}
            )
        folders = {parts[0] for parts in names if len(parts) > 1}
        target.mkdir(parents=True)
        total = 0
        try:
            for info, parts in accepted:
                total = _copy_counting(archive, info, target.joinpath(*parts), total)
        except _DamagedMember:
            _refuse(_("The file is not an H5P package (the zip archive is damaged)."))
    h5p_json, libraries = _validate_tree(target, folders)
    main = next(name for name in libraries if name.rsplit("-", 1)[0] == h5p_json["mainLibrary"])
    return PackageInfo(h5p_json=h5p_json, main_library=main, libraries=libraries, file_count=len(names), size=total)

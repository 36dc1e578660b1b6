"""Source checks: is a source named at all, is its URL well formed, does the URL belong to the source."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

SOURCE_MISSING = "missing"
SOURCE_MALFORMED_URL = "malformed_url"

ALLOWED_SCHEMES: frozenset[str] = frozenset({"http", "https"})

# Words that say nothing about which site a source is ("The New York Times" -> "new", "york").
GENERIC_SOURCE_WORDS: frozenset[str] = frozenset(
    {"the", "www", "com", "org", "net", "news", "online", "daily", "media", "group", "inc", "ltd", "and", "of"}
)
# Second-level labels under which registrable names sit ("bbc.co.uk", "abc.net.au").
SECOND_LEVEL_LABELS: frozenset[str] = frozenset({"co", "com", "net", "org", "gov", "ac", "edu", "or", "ne"})
MIN_SHARED_PREFIX = 3  # "faz" in "faz.net" for "Frankfurter Allgemeine (FAZ)"

_HOST_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")


def url_host(url: str | None) -> str | None:
    """The lower-case host of ``url`` without a leading ``www.``, or ``None`` when there is none."""
    if not url or not isinstance(url, str):
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.rstrip(".").lower()
    return host[4:] if host.startswith("www.") else host


def source_problem(name: str | None, url: str | None) -> str | None:
    """``None`` when the source is fine, ``"missing"`` with neither name nor URL, else ``"malformed_url"``.

    A URL is malformed when its scheme is not http(s), it has no host, it contains whitespace or control
    characters, a host label is invalid, or the host does not encode to IDNA.
    """
    has_name = bool(name and name.strip())
    has_url = bool(url and url.strip())
    if not has_name and not has_url:
        return SOURCE_MISSING
    if has_url and url is not None and not _well_formed(url.strip()):
        return SOURCE_MALFORMED_URL
    return None


def _well_formed(url: str) -> bool:
    if any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in url):
        return False
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return False
    if parts.scheme.lower() not in ALLOWED_SCHEMES or not host:
        return False
    try:
        ascii_host = host.rstrip(".").encode("idna").decode("ascii")
        for label in ascii_host.split("."):
            if label.startswith("xn--"):
                label.encode("ascii").decode("idna")  # invalid punycode raises
    except UnicodeError:
        return False
    labels = ascii_host.split(".")
    if len(labels) < 2 and ascii_host != "localhost":
        return False
    return all(_HOST_LABEL.fullmatch(label) for label in labels)


def source_domain_mismatch(name: str | None, url: str | None) -> bool:
    """Whether the URL's host clearly does not belong to the named source.

    Conservative: True only when the name has distinctive words and none of them matches the host's
    registrable name (as a word, a prefix, or an acronym). A name that is itself a domain must match it.
    """
    host = url_host(url)
    if not host or not name or not name.strip():
        return False
    site = _registrable_label(host)
    if not site:
        return False
    cleaned = _fold(name)
    named_host = url_host(cleaned if "://" in cleaned else f"http://{cleaned}") if "." in cleaned else None
    if named_host and " " not in cleaned.strip() and re.fullmatch(r"[a-z0-9.-]+\.[a-z]{2,}", cleaned.strip()):
        return not (host == named_host or host.endswith("." + named_host) or named_host.endswith("." + host))
    words = [w for w in re.findall(r"[a-z0-9]+", cleaned) if w not in GENERIC_SOURCE_WORDS]
    if not words:
        return False
    compact_site = site.replace("-", "")
    joined = "".join(words)
    # The whole name run together as one of the host's labels ("News 5" at news5.example.org).
    spelled = "".join(re.findall(r"[a-z0-9]+", cleaned))
    if spelled in {label.replace("-", "") for label in host.split(".")}:
        return False
    acronym = "".join(w[0] for w in re.findall(r"[a-z0-9]+", cleaned) if w not in {"the", "of", "and"})
    if joined in compact_site or compact_site in joined or compact_site == acronym:
        return False
    if any(len(w) >= MIN_SHARED_PREFIX and (w in compact_site or compact_site.startswith(w)) for w in words):
        return False
    return not any(len(w) >= MIN_SHARED_PREFIX and w in host for w in words)


def _registrable_label(host: str) -> str:
    labels = host.split(".")
    if len(labels) >= 3 and labels[-2] in SECOND_LEVEL_LABELS:
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else labels[0]


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))

"""A crawler: every page each role can reach from the home page, in a real browser, on the demo
county. It fails on a server error, a link to a missing page or to a page the role may not open
(a link shown to someone it refuses), a submit button outside any form
(it would do nothing), a raw code shown instead of its label, and, in English, a Chinese
interface string left untranslated."""

import re
from collections import defaultdict
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
ROLES = ["township1", "inspector1", "member1", "county", "admin"]
# Links the crawler does not follow: leaving the portal's pages, or files rather than pages.
SKIP = re.compile(
    r"/accounts/logout|/admin/|/i18n/|/static/|/media/|_export=|/pdf/|/download/|/csv/|/template/"
    r"|/preview/|/rejections|/api/schema/(\?|$)|\.(pdf|xlsx|csv|zip|png|jpg|ya?ml|json)$"
)
PAGES_PER_PATTERN = 1  # /meetings/<id>/ is visited for one id, not for all of them
MAX_PAGES = 120

ORPHAN_SUBMITS = """() => [...document.querySelectorAll('button[type=submit], input[type=submit]')]
    .filter(b => !b.form).map(b => b.outerHTML.slice(0, 120))"""
TEXT_NODES = """() => {
  const out = [], walker = document.createTreeWalker(document.querySelector('main') || document.body,
                                                      NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!el || el.closest('script,style,code,pre,textarea,option,[data-raw]')) continue;
    const t = walker.currentNode.textContent.trim();
    if (t) out.push(t);
  }
  for (const el of document.querySelectorAll('main input[placeholder], main [title]'))
    out.push((el.getAttribute('placeholder') || el.getAttribute('title') || '').trim());
  return out;
}"""


def _pattern(url: str) -> str:
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=/|$)", "/<id>", parts.path)
    keys = sorted({k for k, _ in parse_qsl(parts.query)} - {"page", "sort"})
    return path + ("?" + "&".join(keys) if keys else "")


def _normalise(href: str, base: str) -> str | None:
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
        return None
    parts = urlsplit(href)
    if parts.netloc and parts.netloc != urlsplit(base).netloc:
        return None
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "next"])
    url = parts.path + ("?" + query if query else "")
    return None if SKIP.search(url) else url


def _portal_apps() -> list:
    """The portal's own apps (those whose code lives in this checkout), whatever their number."""
    from django.apps import apps

    return [c for c in apps.get_app_configs() if Path(c.path).resolve().is_relative_to(ROOT)]


def _enum_codes() -> set[str]:
    """Every stored value of the portal's choice lists that is a word (road, registered, fire…)."""
    import importlib

    from django.db import models

    codes = set()
    for config in _portal_apps():
        for model in config.get_models():
            for f in model._meta.get_fields():
                for value, _label in getattr(f, "flatchoices", None) or []:
                    if isinstance(value, str) and re.fullmatch(r"[a-z][a-z_]{2,}", value):
                        codes.add(value)
        try:
            choices = importlib.import_module(f"{config.name}.choices")
        except ModuleNotFoundError:
            continue
        for obj in vars(choices).values():
            if isinstance(obj, type) and issubclass(obj, models.Choices) and obj is not models.Choices:
                codes |= {v for v in obj.values if isinstance(v, str) and re.fullmatch(r"[a-z][a-z_]{2,}", v)}
    return codes


def _chinese_msgids() -> set[str]:
    """The interface's Chinese source strings (from the catalogs), as whole texts."""
    from tests.i18n.test_translations import read_po

    ids = set()
    for po in ROOT.glob("**/locale/en/LC_MESSAGES/django.po"):
        if ".venv" in po.parts:
            continue
        for (_ctx, msgid), msgstr in read_po(po).items():
            if msgstr and "%" not in msgid and "{" not in msgid and re.search(r"[\u4e00-\u9fff]", msgid):
                ids.add(msgid)
    return ids


CJK = re.compile(r"[\u4e00-\u9fff]")
WORD = re.compile(r"(?<![A-Za-z0-9_@./-])[a-z][a-z_]{2,}(?![A-Za-z0-9_@./-])")


def _raw_code(text: str, codes: set[str], *, english: bool) -> bool:
    """A stored code shown where its label belongs: a text that is a code (``road``), or, in
    Chinese, a code inside the text (``联合执法（fire）``, ``domain: road``). English prose is
    made of such words, so there only a whole text that is a code counts."""
    if text.strip("()（）:：,， ") in codes:
        return True
    if english:
        return False
    return bool(CJK.search(text) or ":" in text) and any(w in codes for w in WORD.findall(text))


def _data_texts() -> set[str]:
    """Names that are the county's data, kept in Chinese whatever the interface language: hazard
    grades, assessment criteria and checklist items (a county edits them)."""
    from inspections.models import ChecklistItem, HazardGrade
    from reports.models import Criterion

    texts = set(HazardGrade.objects.values_list("name", flat=True))
    texts |= set(Criterion.objects.values_list("name", flat=True))
    texts |= set(ChecklistItem.objects.values_list("text", flat=True))
    return texts


def _crawl(page, base: str, *, codes: set[str], chinese: set[str] | None) -> tuple[int, list[str]]:
    problems, seen, per_pattern = [], set(), defaultdict(int)
    queue = [("/", "home")]
    visited = 0
    while queue and visited < MAX_PAGES:
        url, came_from = queue.pop(0)
        pattern = _pattern(url)
        if url in seen or per_pattern[pattern] >= PAGES_PER_PATTERN:
            continue
        seen.add(url)
        per_pattern[pattern] += 1
        response = page.goto(base + url)
        visited += 1
        status = response.status if response else 0
        if status >= 500 or status in (403, 404):
            problems.append(f"{status} {url} (linked from {came_from})")
            continue
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        for html in page.evaluate(ORPHAN_SUBMITS):
            problems.append(f"submit button outside a form on {url}: {html}")
        texts = page.evaluate(TEXT_NODES)
        for text in texts:
            if _raw_code(text, codes, english=chinese is not None):
                problems.append(f"raw code {text!r} on {url}")
            elif chinese is not None and text in chinese:
                problems.append(f"untranslated {text!r} on {url}")
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            target = _normalise(href, base)
            if target and target not in seen:
                queue.append((target, url))
    print(f"crawled {visited} pages, {len(per_pattern)} patterns, {len(problems)} problems")
    return visited, sorted(set(problems))


def _login(browser, base, username, *, english=False):
    from django.conf import settings

    language = (
        {"locale": "en-US", "extra_http_headers": {"Accept-Language": "en"}}
        if english
        else {"locale": "zh-CN", "extra_http_headers": {"Accept-Language": "zh-CN,zh;q=0.9"}}
    )
    context = browser.new_context(**language)
    if english:  # the language menu's choice, kept in a cookie, as a user who switches has it
        context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": base}])
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", settings.DEMO_PASSWORD)
    page.click("#login-button")
    page.wait_for_url(f"{base}/")
    return context, page


def test_every_page_each_role_reaches_works(transactional_db, settings, tmp_path, browser, live_server):
    """The demo county, seeded once; each role crawls in Chinese, the county supervisor also in
    English. All problems of all roles are reported together."""
    import io

    from django.core.management import call_command

    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("seed_demo", stdout=io.StringIO())
    codes, chinese = _enum_codes(), _chinese_msgids() - _data_texts()
    report, reached = [], {}
    for username, english in [(u, False) for u in ROLES] + [("county", True)]:
        context, page = _login(browser, live_server.url, username, english=english)
        try:
            visited, problems = _crawl(page, live_server.url, codes=codes, chinese=chinese if english else None)
        finally:
            context.close()
        label = f"{username}{' (English)' if english else ''}"
        reached[label] = visited
        report += [f"[{label}] {p}" for p in problems]
    print("\n".join(report))
    assert all(n >= 10 for n in reached.values()), reached
    assert report == [], "\n".join(report)

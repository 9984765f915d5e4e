"""``clean_richtext``: rich text rendered through an allow-list, whatever was stored.

Wagtail's editor only produces safe rich text, but a record body can also arrive through a
script, an import or the API; Wagtail renders stored rich text as it is. This filter keeps
the tags the body's editor offers (bold, italic, links, lists, paragraphs) and their text,
drops every other tag and every attribute but a link's ``href`` (http, https, mailto or a
path on this site), and drops the content of script-like elements entirely.
"""

from html import escape
from html.parser import HTMLParser

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

ALLOWED = {"p", "br", "b", "strong", "i", "em", "a", "ul", "ol", "li", "h2", "h3", "h4"}
VOID = {"br"}
DROP_CONTENT = {"script", "style", "svg", "math", "iframe", "object", "embed", "template"}
SAFE_SCHEMES = ("http://", "https://", "mailto:")


def _safe_href(value: str) -> str | None:
    href = (value or "").strip()
    compact = "".join(href.split()).lower()
    if compact.startswith(SAFE_SCHEMES) or (href.startswith("/") and not href.startswith("//")):
        return href
    if href.startswith("#"):
        return href
    return None


class _Cleaner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []
        self.dropping = 0

    def handle_starttag(self, tag, attrs):
        if tag in DROP_CONTENT:
            self.dropping += 1
            return
        if self.dropping or tag not in ALLOWED:
            return
        extra = ""
        if tag == "a":
            href = _safe_href(dict(attrs).get("href"))
            if href is not None:
                extra = f' href="{escape(href, quote=True)}"'
        self.out.append(f"<{tag}{extra}>")
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        if tag in DROP_CONTENT:
            return
        self.handle_starttag(tag, attrs)
        if tag in self.open and self.open[-1] == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in DROP_CONTENT:
            self.dropping = max(0, self.dropping - 1)
            return
        if self.dropping or tag not in self.open:
            return
        while self.open:
            last = self.open.pop()
            self.out.append(f"</{last}>")
            if last == tag:
                break

    def handle_data(self, data):
        if not self.dropping:
            self.out.append(escape(data, quote=False))

    def result(self) -> str:
        self.close()
        return "".join(self.out) + "".join(f"</{tag}>" for tag in reversed(self.open))


def clean_html(html: str) -> str:
    cleaner = _Cleaner()
    cleaner.feed(str(html or ""))
    return cleaner.result()


@register.filter
def clean_richtext(value):
    """Render a rich text value (``RichText`` or a string) and keep only allowed markup."""
    rendered = value.__html__() if hasattr(value, "__html__") else str(value or "")
    return mark_safe(clean_html(rendered))

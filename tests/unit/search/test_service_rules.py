"""Plain-Python search rules: snippets, re-ranking, transcript lines, filters, iCalendar."""

from datetime import date

from search.calendar_feed import ics_calendar
from search.documents import fast_index_text, parse_transcript_line
from search.facets import clean_filters
from search.folding import index_text
from search.query_parser import parse_query
from search.ranking import RankingText, rerank
from search.snippets import highlight


def test_highlight_marks_folded_matches_and_escapes_everything_else():
    html = highlight("<b>Lễ hội</b> Lồng Tồng & H’Mông", ["long", "tong", "hmong"])
    assert html == (
        "&lt;b&gt;Lễ hội&lt;/b&gt; <mark>Lồng</mark> <mark>Tồng</mark> &amp; <mark>H’Mông</mark>"
    )


def test_highlight_shows_a_window_around_a_late_match():
    text = "mở đầu " * 100 + "Đăm Săn " + "kết thúc " * 100
    html = highlight(text, ["dam"], width=120)
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>Đăm</mark>" in html and len(html) < 220


def _text(title):
    from search.folding import accent_key, fold

    return RankingText(accent_key(title), "", fold(title), "")


def test_accented_query_puts_the_accented_title_first():
    texts = {1: _text("Lòng tong"), 2: _text("Lễ hội Lồng Tồng")}
    engine_order = [(1, 9.0), (2, 7.0)]  # the engine prefers the shorter title
    assert rerank(engine_order, texts, parse_query("lồng tồng")) == [2, 1]
    assert rerank(engine_order, texts, parse_query("long tong")) == [1, 2]


def test_transcript_lines_with_and_without_time_codes():
    assert parse_transcript_line("[00:20-00:40] Bài ru").start_s == 20.0
    line = parse_transcript_line("00:01:02.5 --> 00:01:05 Lời khấn")
    assert (line.start_s, line.end_s, line.text) == (62.5, 65.0, "Lời khấn")
    assert parse_transcript_line("Không có mốc thời gian").start_s is None
    assert parse_transcript_line("   ") is None


def test_filters_keep_known_facets_and_drop_junk():
    cleaned = clean_filters(
        {"group": ["tay", "tay", "", "x" * 65, "a\x00b"], "secret": ["1"], "type": "festival"}
    )
    assert cleaned == {"group": ["tay"], "type": ["festival"]}


def test_fast_index_text_equals_index_text():
    for text in ["Lễ hội Lồng Tồng", "Ê-đê H’Mông\tĐắk", "ចូលឆ្នាំថ្មី lễ", "a\u200bb", ""]:
        assert fast_index_text(text) == index_text(text)


class _Festival:
    pk = 7
    url = "/vi/festivals/le-hoi/"
    title = "Lễ hội Lồng Tồng; xuống đồng, đầu năm"


class _Occurrence:
    start = date(2027, 2, 10)
    end = date(2027, 2, 11)


def test_ics_has_all_day_events_with_escaped_text():
    ics = ics_calendar([(_Occurrence(), _Festival())], "https://example.org/", "Lễ hội")
    assert ics.startswith("BEGIN:VCALENDAR\r\n") and ics.endswith("END:VCALENDAR\r\n")
    assert "DTSTART;VALUE=DATE:20270210" in ics
    assert "DTEND;VALUE=DATE:20270212" in ics  # exclusive end
    assert "SUMMARY:Lễ hội Lồng Tồng\\; xuống đồng\\, đầu năm" in ics
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))

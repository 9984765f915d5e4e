"""The columns of the import template: one list, read by the template, the parser and the
export, so the three can never disagree.

Each column has a stable key and a header in Vietnamese and in English; a sheet may use
either header (or the key), in any order. Lists inside a cell are separated by ";",
vernacular titles and contributors by ";" too, with their parts joined by ":".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class Column:
    key: str
    header_vi: str
    header_en: str
    example: str
    help: str  # lazily translated: what the cell holds and how to write it


COLUMNS: tuple[Column, ...] = (
    Column("record_type", "Loại hồ sơ", "Record type", "recording",
           _("festival, custom or recording (lễ hội, phong tục, ghi âm)")),
    Column("accession_number", "Số đăng ký", "Accession number", "",
           _("Leave empty for a new record; the archive gives one. Keep it to update.")),
    Column("source_identifier", "Mã nguồn", "Source identifier", "PHIEU-2026-001",
           _("Your own identifier (field register row); importing again updates this record.")),
    Column("slug", "Đường dẫn", "Slug", "",
           _("Part of the web address; made from the title when empty.")),
    Column("title_vi", "Tiêu đề (vi)", "Title (vi)", "Hát then mừng nhà mới", _("Required.")),
    Column("title_en", "Tiêu đề (en)", "Title (en)", "Then song for a new house", ""),
    Column("vernacular_titles", "Tiêu đề bản ngữ", "Vernacular titles",
           "tyz:Latn:Then mừng rườn mấư",
           _("language (ISO 639-3) : script (ISO 15924, may be empty) : text; several "
             "separated by ;")),
    Column("summary_vi", "Tóm tắt (vi)", "Summary (vi)", "Bài then hát khi làm nhà mới.", ""),
    Column("summary_en", "Tóm tắt (en)", "Summary (en)", "A then song sung for a new house.", ""),
    Column("body_vi", "Nội dung (vi)", "Body (vi)", "",
           _("Plain text (paragraphs separated by an empty line) or the export's JSON.")),
    Column("body_en", "Nội dung (en)", "Body (en)", "", ""),
    Column("ethnic_groups", "Dân tộc", "Ethnic groups", "Tày",
           _("Names or statistics office codes, separated by ;")),
    Column("provinces", "Tỉnh, thành (hiện nay)", "Provinces (current)", "Tuyên Quang",
           _("Current provincial units, separated by ;")),
    Column("former_provinces", "Tỉnh cũ (trước 7/2025)", "Former provinces", "Hà Giang",
           _("Provinces as named before July 2025, separated by ;")),
    Column("locality", "Xã, phường, thôn", "Locality", "Xã Lũng Cú", ""),
    Column("subjects", "Chủ đề", "Subjects", "then; nhà mới",
           _("Keywords separated by ;")),
    Column("date", "Thời gian", "Date", "2024-03-15",
           _("2024-03-15, 2024-03, 2024, 1990s or c. 1995 (khoảng 1995)")),
    Column("date_lunar", "Ngày âm lịch", "Lunar date", "",
           _("day/month/year of the lunar calendar, e.g. 15/1/2024; add 'nhuận' (leap) "
             "for a leap month. Use either this or the date column.")),
    Column("source", "Nguồn", "Source", "Điền dã 2024", ""),
    Column("rights_statement", "Tình trạng bản quyền", "Rights statement", "InC",
           _("RightsStatements.org code (InC, InC-EDU, InC-NC, NoC-CR, NoC-OKLR, UND, CNE) "
             "or its address")),
    Column("licence", "Giấy phép", "Licence", "CC-BY-NC-4.0",
           _("CC-BY-4.0, CC-BY-SA-4.0, CC-BY-NC-4.0, CC-BY-NC-SA-4.0, CC-BY-NC-ND-4.0, "
             "CC0-1.0 or empty")),
    Column("access_level", "Mức truy cập", "Access level", "public",
           _("public, registered, groups or closed")),
    Column("allowed_groups", "Nhóm được xem", "Allowed groups", "",
           _("Names of the groups allowed to see it (access level 'groups'), separated by ;")),
    Column("protocols", "Quy ước văn hoá", "Cultural protocols", "",
           _("Names of existing cultural protocols, separated by ;")),
    Column("protocol_mode", "Cách kết hợp quy ước", "Protocol mode", "all", _("all or any")),
    Column("tk_labels", "Nhãn TK", "TK labels", "", _("TK label codes, separated by ;")),
    Column("access_note_vi", "Ghi chú truy cập (vi)", "Access note (vi)", "", ""),
    Column("access_note_en", "Ghi chú truy cập (en)", "Access note (en)", "", ""),
    Column("contributors", "Người tham gia", "Contributors", "speaker:Hoàng Thị Then",
           _("role : name, separated by ; (roles: speaker, singer, performer, interpreter, "
             "researcher, recorder, transcriber, translator, photographer)")),
    Column("consent", "Đồng ý", "Consent", "archive+public_web@2024-03-15",
           _("Scopes joined by + (archive, public_web, education, research) @ date, given by "
             "every speaker, singer, performer or interpreter; 'none' to import without it")),
    Column("collections", "Bộ sưu tập", "Collections", "",
           _("Titles of existing collections, separated by ;")),
    Column("media", "Tệp media", "Media files", "then-nha-moi.wav",
           _("File names in the ZIP or folder given with the sheet, separated by ;")),
    Column("unverified", "Chưa kiểm chứng", "Unverified", "no", _("yes or no (có, không)")),
    Column("is_demo", "Dữ liệu mẫu", "Demo material", "no", _("yes or no (có, không)")),
    # Festivals
    Column("calendar", "Lịch", "Calendar", "", _("Festivals: lunar, solar or cham")),
    Column("month", "Tháng", "Month", "", _("Festivals: month it is held (1-12)")),
    Column("day_start", "Ngày bắt đầu", "First day", "", _("Festivals")),
    Column("day_end", "Ngày kết thúc", "Last day", "", _("Festivals")),
    Column("leap_month", "Tháng nhuận", "Leap month", "", _("Festivals: yes or no")),
    Column("recurrence_note_vi", "Ghi chú lặp lại (vi)", "Recurrence note (vi)", "", ""),
    Column("recurrence_note_en", "Ghi chú lặp lại (en)", "Recurrence note (en)", "", ""),
    Column("duration_days", "Số ngày", "Duration (days)", "", _("Festivals")),
    Column("rituals_vi", "Nghi lễ (vi)", "Rituals (vi)", "", ""),
    Column("rituals_en", "Nghi lễ (en)", "Rituals (en)", "", ""),
    Column("heritage_status", "Danh hiệu di sản", "Heritage status", "",
           _("Festivals: none, provincial, national, unesco_representative, unesco_urgent")),
    Column("heritage_note", "Ghi chú di sản", "Heritage listing", "", ""),
    # Customs
    Column("category", "Nhóm phong tục", "Custom category", "",
           _("Customs: rite_of_passage, belief, music_dance, craft, cuisine, attire, farming, "
             "other")),
    # Language recordings
    Column("language", "Ngôn ngữ (ISO 639-3)", "Language (ISO 639-3)", "tyz",
           _("Recordings: required")),
    Column("dialect", "Phương ngữ", "Dialect", "", ""),
    Column("genre", "Thể loại", "Genre", "song",
           _("Recordings: song, story, prayer, conversation, word_list, other")),
    Column("recording_place", "Nơi ghi âm", "Recording place", "Lũng Cú, Tuyên Quang", ""),
    Column("transcript", "Bản ghi lời", "Transcript", "", ""),
    Column("translation_vi", "Bản dịch (vi)", "Translation (vi)", "", ""),
    Column("translation_en", "Bản dịch (en)", "Translation (en)", "", ""),
)  # fmt: skip

BY_KEY = {column.key: column for column in COLUMNS}
KEYS = tuple(column.key for column in COLUMNS)


def header_of(key: str, lang: str) -> str:
    column = BY_KEY[key]
    return column.header_vi if lang == "vi" else column.header_en


def headers(lang: str) -> list[str]:
    return [header_of(key, lang) for key in KEYS]

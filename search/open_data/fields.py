"""The package's tables and fields, described in both languages.

Convention (docs/open_doors.md): a field's ``title`` and ``description`` are Vietnamese (the
archive's first language); ``x-title-en`` and ``x-description-en`` carry the English. The
same convention holds for each resource and for the package itself.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # Frictionless Table Schema type
    title_vi: str
    title_en: str
    description_vi: str = ""
    description_en: str = ""

    def descriptor(self) -> dict:
        out = {"name": self.name, "type": self.type, "title": self.title_vi}
        out["x-title-en"] = self.title_en
        if self.description_vi:
            out["description"] = self.description_vi
        if self.description_en:
            out["x-description-en"] = self.description_en
        return out


@dataclass(frozen=True)
class Table:
    name: str
    title_vi: str
    title_en: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ()

    def schema(self) -> dict:
        schema = {"fields": [f.descriptor() for f in self.fields]}
        if self.primary_key:
            schema["primaryKey"] = list(self.primary_key)
        return schema

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]


LIST_VI = "Nhiều giá trị cách nhau bằng dấu chấm phẩy (;)."
LIST_EN = "Several values separated by semicolons (;)."

ACCESSION = Field(
    "accession",
    "string",
    "Số đăng ký",
    "Accession number",
    "Mã định danh bền vững DSS-NNNN-NNNNNN; trang: /id/<số>.",
    "Permanent identifier DSS-YYYY-NNNNNN; page at /id/<number>.",
)

RECORDS = Table(
    "records",
    "Hồ sơ di sản công khai",
    "Public heritage records",
    (
        ACCESSION,
        Field(
            "type",
            "string",
            "Loại hồ sơ",
            "Record type",
            "lễ hội: festival; phong tục: custom; ghi âm: recording",
            "festival, custom or recording",
        ),
        Field("title_vi", "string", "Tiêu đề (tiếng Việt)", "Title (Vietnamese)"),
        Field("title_en", "string", "Tiêu đề (tiếng Anh)", "Title (English)"),
        Field(
            "vernacular_titles",
            "string",
            "Tên bằng tiếng dân tộc",
            "Titles in the community's language",
            "mã ISO 639-3: tên; " + LIST_VI,
            "ISO 639-3 code: title; " + LIST_EN,
        ),
        Field("summary_vi", "string", "Tóm tắt (tiếng Việt)", "Summary (Vietnamese)"),
        Field("summary_en", "string", "Tóm tắt (tiếng Anh)", "Summary (English)"),
        Field(
            "ethnic_groups",
            "string",
            "Dân tộc",
            "Ethnic groups",
            "Mã Tổng cục Thống kê. " + LIST_VI,
            "Statistics office codes. " + LIST_EN,
        ),
        Field(
            "provinces",
            "string",
            "Tỉnh, thành (hiện nay)",
            "Provincial units (current)",
            "Mã đơn vị. " + LIST_VI,
            "Unit codes. " + LIST_EN,
        ),
        Field(
            "former_provinces",
            "string",
            "Tỉnh cũ (trước 7/2025)",
            "Former provinces (before July 2025)",
            "Mã cũ; xem bảng places. " + LIST_VI,
            "Old codes; see the places table. " + LIST_EN,
        ),
        Field("locality", "string", "Xã, phường, thôn", "Commune, ward or village"),
        Field(
            "date",
            "string",
            "Thời gian",
            "Date",
            "YYYY, YYYY-MM hoặc YYYY-MM-DD, chính xác đến mức đã biết.",
            "YYYY, YYYY-MM or YYYY-MM-DD, as precise as known.",
        ),
        Field("subjects", "string", "Chủ đề", "Subjects", LIST_VI, LIST_EN),
        Field(
            "language",
            "string",
            "Ngôn ngữ ghi âm",
            "Recording language",
            "ISO 639-3, chỉ cho bản ghi âm.",
            "ISO 639-3, recordings only.",
        ),
        Field(
            "rights_statement",
            "string",
            "Tuyên bố quyền",
            "Rights statement",
            "URI của rightsstatements.org.",
            "A rightsstatements.org URI.",
        ),
        Field("licence", "string", "Giấy phép của nội dung", "Licence of the content"),
        Field("permalink", "string", "Đường dẫn bền vững", "Permanent link"),
        Field(
            "last_published",
            "string",
            "Xuất bản lần cuối",
            "Last published",
            "Thời điểm UTC, ISO 8601.",
            "UTC, ISO 8601.",
        ),
    ),
    ("accession",),
)

GROUPS = Table(
    "ethnic_groups",
    "Các dân tộc",
    "Ethnic groups",
    (
        Field("code", "string", "Mã", "Code", "Mã Tổng cục Thống kê.", "Statistics office code."),
        Field("slug", "string", "Tên rút gọn", "Slug"),
        Field("name_vi", "string", "Tên (tiếng Việt)", "Name (Vietnamese)"),
        Field("name_en", "string", "Tên (tiếng Anh)", "Name (English)"),
        Field("other_names", "string", "Tên gọi khác", "Other names"),
        Field("language_family", "string", "Ngữ hệ", "Language family"),
        Field("iso639_3", "string", "Mã ngôn ngữ ISO 639-3", "ISO 639-3 language codes"),
        Field("population_2019", "integer", "Dân số (2019)", "Population (2019 census)"),
    ),
    ("code",),
)

PLACES = Table(
    "places",
    "Đơn vị hành chính cấp tỉnh, hiện nay và trước đây",
    "Provincial units, current and former",
    (
        Field(
            "kind",
            "string",
            "Loại",
            "Kind",
            "current: hiện nay; former: trước 7/2025.",
            "current, or former (before July 2025).",
        ),
        Field("code", "string", "Mã", "Code"),
        Field("name", "string", "Tên", "Name"),
        Field("unit_type", "string", "Cấp", "Unit type"),
        Field(
            "successor_code",
            "string",
            "Mã đơn vị kế thừa",
            "Successor's code",
            "Với tỉnh cũ: mã đơn vị hiện nay đã sáp nhập nó.",
            "For a former province: the current unit that absorbed it.",
        ),
    ),
    ("kind", "code"),
)

COLLECTIONS = Table(
    "collections",
    "Bộ sưu tập",
    "Collections",
    (
        Field("slug", "string", "Tên rút gọn", "Slug"),
        Field("title_vi", "string", "Tiêu đề (tiếng Việt)", "Title (Vietnamese)"),
        Field("title_en", "string", "Tiêu đề (tiếng Anh)", "Title (English)"),
        Field("description_vi", "string", "Mô tả (tiếng Việt)", "Description (Vietnamese)"),
        Field("description_en", "string", "Mô tả (tiếng Anh)", "Description (English)"),
        Field(
            "records",
            "string",
            "Hồ sơ",
            "Records",
            "Số đăng ký, theo thứ tự. " + LIST_VI,
            "Accession numbers, in order. " + LIST_EN,
        ),
    ),
    ("slug",),
)

MEDIA = Table(
    "media",
    "Tóm tắt tư liệu đa phương tiện",
    "Media summary",
    (
        ACCESSION,
        Field("asset", "integer", "Mã tư liệu", "Asset id"),
        Field(
            "kind",
            "string",
            "Loại",
            "Kind",
            "audio, video, image, document.",
            "audio, video, image, document.",
        ),
        Field("duration_s", "number", "Thời lượng (giây)", "Duration (seconds)"),
        Field(
            "derivatives",
            "string",
            "Bản công khai",
            "Public copies",
            "tên: kiểu MIME: số byte. " + LIST_VI,
            "name: MIME type: bytes. " + LIST_EN,
        ),
        Field(
            "public_bytes",
            "integer",
            "Tổng dung lượng bản công khai (byte)",
            "Public copies' total size (bytes)",
        ),
    ),
    ("accession", "asset"),
)

COVERAGE = Table(
    "coverage",
    "Độ bao phủ: hồ sơ và giờ ghi theo dân tộc và theo tỉnh",
    "Coverage: records and hours per group and per provincial unit",
    (
        Field(
            "dimension",
            "string",
            "Chiều",
            "Dimension",
            "group: dân tộc; province: tỉnh hiện nay (tỉnh cũ tính vào đơn vị kế thừa).",
            "group, or province (current units; former provinces count in their successor).",
        ),
        Field("code", "string", "Mã", "Code"),
        Field("name", "string", "Tên", "Name"),
        Field("records", "integer", "Số hồ sơ", "Records"),
        Field("hours", "number", "Số giờ âm thanh và video", "Hours of audio and video"),
    ),
    ("dimension", "code"),
)

TABLES = (RECORDS, GROUPS, PLACES, COLLECTIONS, MEDIA, COVERAGE)

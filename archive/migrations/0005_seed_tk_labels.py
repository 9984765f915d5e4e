"""Seed the nine Local Contexts Traditional Knowledge labels the archive uses.

The texts are short descriptions of each label's purpose written for this archive (not the
Local Contexts template text, which each community customises); docs/data.md gives the
sources and says which published pages were found.
"""

from django.db import migrations

LABELS = [
    (
        "tk-attribution",
        "TK Attribution (TK A)",
        "Nhãn TK Ghi công (TK A)",
        "The community asks that anyone who uses this material names the people, family or "
        "community it comes from, in the way they have set out.",
        "Cộng đồng đề nghị bất kỳ ai sử dụng tư liệu này ghi rõ tên người, gia đình hoặc cộng "
        "đồng là nguồn gốc của nó, theo cách họ đã nêu.",
    ),
    (
        "tk-community-voice",
        "TK Community Voice (TK CV)",
        "Nhãn TK Tiếng nói cộng đồng (TK CV)",
        "The description here is partial. Community members are invited to add their own "
        "knowledge, stories and memories about this item; that sharing happens within the "
        "community.",
        "Phần mô tả ở đây chưa đầy đủ. Thành viên cộng đồng được mời bổ sung hiểu biết, câu "
        "chuyện và ký ức của mình về tư liệu này; việc chia sẻ diễn ra trong cộng đồng.",
    ),
    (
        "tk-seasonal",
        "TK Seasonal (TK S)",
        "Nhãn TK Theo mùa (TK S)",
        "This material belongs to a particular time of year or season. The community asks "
        "that it be heard, shown or used only at that time.",
        "Tư liệu này gắn với một thời điểm hoặc mùa nhất định trong năm. Cộng đồng đề nghị chỉ "
        "nghe, trình chiếu hoặc sử dụng nó vào thời điểm ấy.",
    ),
    (
        "tk-secret-sacred",
        "TK Secret / Sacred (TK SS)",
        "Nhãn TK Bí mật / Thiêng liêng (TK SS)",
        "This material holds secret or sacred knowledge. Access is limited by the community's "
        "protocols; please do not copy or share it without their permission.",
        "Tư liệu này chứa tri thức bí mật hoặc thiêng liêng. Việc tiếp cận bị giới hạn theo "
        "phong tục của cộng đồng; xin đừng sao chép hay chia sẻ khi chưa được họ cho phép.",
    ),
    (
        "tk-women-restricted",
        "TK Women Restricted (TK WR)",
        "Nhãn TK Chỉ dành cho phụ nữ (TK WR)",
        "Under the community's protocols this material is for women only.",
        "Theo phong tục của cộng đồng, tư liệu này chỉ dành cho phụ nữ.",
    ),
    (
        "tk-men-restricted",
        "TK Men Restricted (TK MR)",
        "Nhãn TK Chỉ dành cho nam giới (TK MR)",
        "Under the community's protocols this material is for men only.",
        "Theo phong tục của cộng đồng, tư liệu này chỉ dành cho nam giới.",
    ),
    (
        "tk-non-commercial",
        "TK Non-Commercial (TK NC)",
        "Nhãn TK Phi thương mại (TK NC)",
        "The community has said this material may be used only for non-commercial purposes.",
        "Cộng đồng cho biết tư liệu này chỉ được sử dụng cho mục đích phi thương mại.",
    ),
    (
        "tk-verified",
        "TK Verified (TK V)",
        "Nhãn TK Đã xác nhận (TK V)",
        "The community is satisfied that this material is presented here in keeping with its "
        "cultural protocols and expectations.",
        "Cộng đồng xác nhận tư liệu này được trình bày ở đây phù hợp với phong tục và mong muốn "
        "của họ.",
    ),
    (
        "tk-outreach",
        "TK Outreach (TK O)",
        "Nhãn TK Giáo dục cộng đồng (TK O)",
        "The community permits this material to be used for educational outreach, such as "
        "teaching and learning about their culture.",
        "Cộng đồng cho phép dùng tư liệu này cho hoạt động giáo dục, ví dụ giảng dạy và tìm "
        "hiểu về văn hoá của họ.",
    ),
]


def seed(apps, schema_editor):
    TKLabel = apps.get_model("archive", "TKLabel")
    for order, (slug, name_en, name_vi, text_en, text_vi) in enumerate(LABELS):
        TKLabel.objects.update_or_create(
            slug=slug,
            defaults={
                "name_en": name_en,
                "name_vi": name_vi,
                "text_en": text_en,
                "text_vi": text_vi,
                "sort_order": order,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("archive", "TKLabel").objects.filter(
        slug__in=[row[0] for row in LABELS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("archive", "0004_restricted_segments_tk_labels")]

    operations = [migrations.RunPython(seed, unseed)]

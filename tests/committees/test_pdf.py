import io
import subprocess

from django.urls import reverse
from pypdf import PdfReader

from .factories import ActionItemFactory, CommitteeMemberFactory, MeetingFactory


def test_minutes_pdf_has_extractable_chinese_text_and_embedded_cjk_font(client, world, tmp_path):
    chair = CommitteeMemberFactory(township=world.township1, name="王书记")
    meeting = MeetingFactory(
        township=world.township1,
        title="创安联席会议（三月）",
        chair=chair,
        minutes="会议听取了安监站关于伤害监测情况的汇报。\n" * 60,
        decisions="开展防溺水专项巡查",
    )
    ActionItemFactory(township=world.township1, meeting=meeting, owner_member=chair, title="更新学校周边警示标志")
    client.force_login(world.users["member1"])
    response = client.get(reverse("committees:meeting_pdf", args=[meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    path = tmp_path / "minutes.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    compact = "".join(text.split())
    for phrase in (
        "会议纪要",
        "城关街道安全社区促进委员会办公室",
        "王书记",
        "开展防溺水专项巡查",
        "更新学校周边警示标志",
    ):
        assert phrase in compact, phrase
    reader = PdfReader(io.BytesIO(response.content))
    pages = len(reader.pages)
    assert pages >= 2
    assert f"第1页共{pages}页" in compact
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            desc = descendants[0].get_object()["/FontDescriptor"] if descendants else font.get("/FontDescriptor")
            if desc is not None:
                desc = desc.get_object()
                if any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    fonts.add(str(font["/BaseFont"]))
    assert any("Noto-Serif-CJK-SC" in f or "Noto-Sans-CJK-SC" in f for f in fonts), fonts

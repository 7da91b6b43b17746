"""The printed documents of inspections: the 责令限期整改指令书 and the 整改复查意见书 (HTML in
``templates/inspections/pdf/``, PDF by ``safecommunity.pdf``). The page and the download centre
both print through here, so a notice reads the same wherever it is printed."""

from safecommunity.pdf import in_document_language, render_pdf

# What the documents read of their object, for the queries that load it.
ENFORCEMENT_RELATED = ("entity", "township", "hazard", "issued_by", "authority", "officer_1", "officer_2")
REINSPECTION_RELATED = ("notice__entity", "notice__authority", "township", "authority", "officer_1", "officer_2")


@in_document_language
def enforcement_notice_pdf(enforcement) -> bytes:
    return render_pdf("inspections/pdf/order_rectify.html", {"e": enforcement})


@in_document_language
def reinspection_opinion_pdf(reinspection) -> bytes:
    context = {"r": reinspection, "doc": reinspection, "e": reinspection.notice}
    return render_pdf("inspections/pdf/reinspection.html", context)

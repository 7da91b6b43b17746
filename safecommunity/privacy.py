"""Masking of personal data (PIPL): names and ID numbers are masked unless the role needs them."""


def mask_name(name: str | None) -> str:
    """王小明 → 王**, 王明 → 王*; a Latin name keeps its first letter."""
    if not name:
        return ""
    name = name.strip()
    if len(name) <= 1:
        return "*"
    return name[0] + "*" * (len(name) - 1)


def mask_id_number(number: str | None) -> str:
    """371799199001011234 → 371799********1234 (area code and last four kept)."""
    if not number:
        return ""
    number = number.strip()
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_phone(phone: str | None) -> str:
    """13812345678 → 138****5678."""
    if not phone:
        return ""
    phone = phone.strip()
    if len(phone) < 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def redact(value) -> str:
    """The audit log keeps that a personal field changed, never its value (AUDITLOG_MASK_CALLABLE):
    half-masked values could be completed from the masks shown on the pages."""
    return "***"

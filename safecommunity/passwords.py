"""Password rules next to Django's: no user name inside the password, three kinds of character,
and a list of passwords Chinese users pick most often (AUTH_PASSWORD_VALIDATORS)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Chinese favourites from published leak analyses (CSDN, 12306, 天涯), which Django's English
# list misses: pinyin phrases, 520/1314 ("I love you / for life"), keyboard walks, QQ numbers.
CHINESE_COMMON_PASSWORDS = frozenset(
    {
        "aa123456",
        "a123456",
        "a123456789",
        "a12345678",
        "aa12345678",
        "abc123456",
        "abc12345678",
        "qq123456",
        "qq12345678",
        "woaini",
        "woaini1314",
        "woaini520",
        "woaini521",
        "woaini123",
        "woaini123456",
        "wo520",
        "5201314",
        "5201314520",
        "520520",
        "1314520",
        "13145200",
        "woaiwojia",
        "woaimama",
        "woaibaobao",
        "iloveyou",
        "iloveyou1314",
        "1qaz2wsx",
        "1qaz2wsx3edc",
        "qwe123456",
        "qwer1234",
        "asd123456",
        "zxc123456",
        "admin123",
        "admin888",
        "admin123456",
        "123qwe",
        "123qweasd",
        "qweasdzxc",
        "1q2w3e4r",
        "zhang123",
        "wang123",
        "li123456",
        "zhangwei",
        "wangwei",
        "liuyang",
        "aini1314",
        "password1",
        "p@ssw0rd",
        "passw0rd",
        "xiaoming",
        "huang123",
        "chen123456",
        "8888888888",
        "66666666",
        "88888888",
        "147258369",
        "123456789a",
        "1234567890a",
        "a1b2c3d4",
        "abcd1234",
        "anquan123",
        "anquan2024",
        "shequ123",
        "zhongguo",
        "china123",
        "beijing2008",
    }
)


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", (text or "").lower())


class ChineseCommonPasswordValidator:
    """Refuses a password from CHINESE_COMMON_PASSWORDS, whatever its case and the symbols
    around it (``Woaini1314!`` is ``woaini1314``)."""

    def validate(self, password, user=None):
        plain = password.lower()
        stripped = re.sub(r"^[^a-z0-9]+|[^a-z0-9]+$", "", plain)
        if plain in CHINESE_COMMON_PASSWORDS or stripped in CHINESE_COMMON_PASSWORDS:
            raise ValidationError(_("该密码过于常见，请换一个"), code="password_too_common")

    def get_help_text(self):
        return _("不能使用常见密码（如 Aa123456、woaini1314）")


class UsernameInPasswordValidator:
    """Refuses a password that contains the user name (its letters, at least 3 of them), e.g.
    ``pt_pw12345`` for ``pt_pw``: Django's similarity check lets "name + digits" through."""

    def validate(self, password, user=None):
        if user is None:
            return
        name = _letters(user.get_username())
        if len(name) >= 3 and name in _letters(password):
            raise ValidationError(_("密码不能包含用户名"), code="password_contains_username")

    def get_help_text(self):
        return _("密码不能包含用户名")


class CharacterClassesValidator:
    """At least ``min_classes`` of: lower-case letters, upper-case letters, digits, symbols."""

    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        classes = sum(bool(re.search(pattern, password)) for pattern in (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^A-Za-z0-9]"))
        if classes < self.min_classes:
            raise ValidationError(self._text(), code="password_too_simple")

    def _text(self):
        return ngettext(
            "密码须包含小写字母、大写字母、数字和符号中的至少%(n)d种",
            "密码须包含小写字母、大写字母、数字和符号中的至少%(n)d种",
            self.min_classes,
        ) % {"n": self.min_classes}

    def get_help_text(self):
        return self._text()

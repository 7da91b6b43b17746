"""How a message leaves the portal: by mail (Django's mail backends; SMTP from the settings) or
by an HTTP POST to a county's webhook (企业微信/钉钉 group bots, an SMS gateway).

An adapter takes the webhook, the address and the text and raises ``SendError`` (or any
exception) when the far side refuses; ``ADAPTERS`` maps ``WebhookChannel.adapter`` to one.
A new gateway is a subclass with ``payload`` (and ``check`` when its answer carries an error code).
"""

import json
import urllib.error
import urllib.request

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from .choices import Adapter

WEBHOOK_TIMEOUT = 10


class SendError(Exception):
    pass


def email_configured() -> bool:
    return bool(getattr(settings, "EMAIL_CONFIGURED", False))


def send_email(*, to: str, subject: str, body: str) -> None:
    connection = get_connection(timeout=getattr(settings, "EMAIL_TIMEOUT", 10))
    message = EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to], connection=connection
    )
    if message.send() != 1:
        raise SendError("mail backend sent nothing")


class WebhookAdapter:
    """POST a JSON body to the webhook's URL; a non-2xx answer is a failure."""

    def payload(self, *, address: str, text: str) -> dict:
        raise NotImplementedError

    def check(self, answer: bytes) -> None:
        """Bots answer 200 with an error code in the body ({"errcode": 0, ...} when accepted)."""
        try:
            data = json.loads(answer or b"{}")
        except ValueError:
            return
        if isinstance(data, dict) and data.get("errcode", 0) not in (0, "0"):
            raise SendError(f"errcode {data.get('errcode')}: {data.get('errmsg', '')}"[:500])

    def send(self, *, url: str, address: str, text: str) -> None:
        body = json.dumps(self.payload(address=address, text=text), ensure_ascii=False).encode()
        request = urllib.request.Request(
            url, data=body, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
        )
        try:
            with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT) as response:  # noqa: S310 - county-configured URL
                answer = response.read(65536)
        except urllib.error.HTTPError as exc:
            raise SendError(f"HTTP {exc.code}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise SendError(str(exc)[:500]) from exc
        self.check(answer)


class GroupBot(WebhookAdapter):
    """企业微信 and 钉钉 group bots take the same text message (the recipient named in it)."""

    def payload(self, *, address, text):
        return {"msgtype": "text", "text": {"content": text}}


class SmsGateway(WebhookAdapter):
    """A generic HTTP SMS gateway: the phone number and the text."""

    def payload(self, *, address, text):
        return {"phone": address, "text": text}


ADAPTERS = {Adapter.WECOM: GroupBot(), Adapter.DINGTALK: GroupBot(), Adapter.SMS: SmsGateway()}

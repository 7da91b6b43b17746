"""Generated files written atomically (the PDFs themselves come from ``safecommunity.pdf``)."""

import hashlib
import os
import tempfile

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def store_file(name: str, content: bytes) -> str:
    """Write ``content`` under ``name`` in the default storage, replacing any earlier file of that
    name in one step (a render killed half-way leaves no stray file, and a second render of the same
    row overwrites instead of adding ``name_abc123.pdf``). Returns the stored name."""
    try:
        path = default_storage.path(name)
    except NotImplementedError:
        if default_storage.exists(name):
            default_storage.delete(name)
        return default_storage.save(name, ContentFile(content))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return name

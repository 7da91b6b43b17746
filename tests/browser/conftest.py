"""Screenshots of the journeys: kept where ``SC_ARTIFACTS_DIR`` says (CI sets a folder outside the
checkout, kept after the run), otherwise in pytest's temporary folder."""

import os
import re
from pathlib import Path

import pytest


@pytest.fixture
def screenshot(request, tmp_path):
    folder = Path(os.environ.get("SC_ARTIFACTS_DIR") or tmp_path) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    test = re.sub(r"[^\w.-]+", "_", request.node.name)[:80]

    def take(page, step: str) -> Path:
        path = folder / f"{test}--{step}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 1000  # a real picture, not an empty page
        return path

    return take

"""Static files for production: whitenoise's hashed, compressed storage, compressing the hashed
copies only.

Pages link nothing but the hashed names (``{% static %}`` reads the manifest), so gzip and brotli
copies of the originals would never be served; they doubled the build's slowest step (the API
docs' and ECharts' bundles are megabytes each). The originals stay, uncompressed, for code that
builds a path itself (Leaflet finds its icons next to its stylesheet)."""

import re

from whitenoise.storage import CompressedManifestStaticFilesStorage

_HASHED = re.compile(r"\.[0-9a-f]{12}\.[^./]+$")


class HashedCompressedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def compress_files(self, paths):
        return super().compress_files([path for path in paths if _HASHED.search(path)])

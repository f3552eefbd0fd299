"""What the privacy app announces to the apps above it, which it may not import (docs/architecture.md)."""

from django.dispatch import Signal

# A person's copy of their data is ready to download; sent with `export` (a DataExport).
export_ready = Signal()

# A coordinator confirmed a request of erasure; sent with `erasure` (an ErasureRequest) and `by` (the coordinator).
erasure_confirmed = Signal()

"""Where signed agreements are kept: outside any public media URL, served only through a staff view."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_storage():
    return FileSystemStorage(location=settings.VAR_DIR / "private", base_url=None, file_permissions_mode=0o600, directory_permissions_mode=0o700)

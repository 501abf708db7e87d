"""The settings' environment: any variable NAME may instead be given as NAME_FILE, the path of a file holding
it (Docker and Kubernetes secrets are mounted as files, so a password never sits in the environment, where
`docker inspect`, /proc and crash reports show it)."""

from __future__ import annotations

import environ
from django.core.exceptions import ImproperlyConfigured
from environ.fileaware_mapping import FileAwareMapping


class _SecretFiles(FileAwareMapping):
    """NAME_FILE wins over NAME (django-environ's rule). A secret file usually ends with a newline (echo,
    editors, `kubectl create secret --from-file`); it is dropped, else the database name in a DATABASE_URL
    read from a file would end in "\\n" and a SECRET_KEY would differ from the one other tools read."""

    def __getitem__(self, key: str) -> str:
        path = self.env.get(key + "_FILE")
        try:
            value: str = super().__getitem__(key)
        except OSError as exc:
            raise ImproperlyConfigured(f"{key}_FILE names {path}, which cannot be read ({exc}).") from exc
        return value.rstrip("\r\n") if path else value


class SecretFileEnv(environ.Env):
    """environ.Env reading NAME_FILE too, for every variable the settings read."""

    ENVIRON = _SecretFiles()

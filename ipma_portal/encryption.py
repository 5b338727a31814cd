"""Symmetric encryption of secrets kept in the database (Fernet), keyed from the environment."""

import base64
import hashlib
from collections.abc import Sequence

from cryptography.fernet import Fernet, MultiFernet


def fernet_from_passphrases(passphrases: Sequence[str], *, purpose: str) -> MultiFernet:
    """One Fernet per passphrase, the first encrypting and all decrypting, so a key can be rotated.

    Each passphrase is any long random string; the purpose keeps the keys derived from one shared
    string (e.g. SECRET_KEY) different for every use.
    """
    if not passphrases:
        raise ValueError(f"no key configured for {purpose}")
    return MultiFernet([
        Fernet(base64.urlsafe_b64encode(hashlib.sha256(f"{purpose}:{passphrase}".encode()).digest()))
        for passphrase in passphrases
    ])

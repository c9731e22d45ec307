"""API keys and roles (intake < operator < maintainer)."""

from lapor_nlp.auth.keys import (
    KeyInfo,
    KeyManager,
    Principal,
    Role,
    generate_key,
    hash_key,
    parse_role,
)

__all__ = ["KeyInfo", "KeyManager", "Principal", "Role", "generate_key", "hash_key", "parse_role"]

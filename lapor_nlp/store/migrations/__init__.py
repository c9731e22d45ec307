"""Alembic migrations of the lapor-nlp store."""

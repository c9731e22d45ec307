"""Migration revisions, applied in order by ``lapor_nlp.store.migrate``."""

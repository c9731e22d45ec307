"""The label sets a deployment routes to: OPD codes and category codes with display names."""

from lapor_nlp.taxonomy.taxonomy import Label, Taxonomy, load_default_taxonomy, load_taxonomy

__all__ = ["Label", "Taxonomy", "load_default_taxonomy", "load_taxonomy"]

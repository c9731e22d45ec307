"""Reading, validating and importing complaint data.

Only the light modules are re-exported here; the LAPOR! importer (which needs the text
package for masking) lives in :mod:`lapor_nlp.data.lapor_export`.
"""

from lapor_nlp.data.io import read_table, write_table
from lapor_nlp.data.validate import ValidatedData, validate_training_frame

__all__ = ["ValidatedData", "read_table", "validate_training_frame", "write_table"]

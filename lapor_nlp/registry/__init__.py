"""Model registry: model directories on disk, integrity checks, the active pointer."""

from lapor_nlp.registry.artifact import LoadedModel, load_model_dir, write_model_dir
from lapor_nlp.registry.registry import ModelInfo, ModelRegistry, new_version

__all__ = [
    "LoadedModel",
    "ModelInfo",
    "ModelRegistry",
    "load_model_dir",
    "new_version",
    "write_model_dir",
]

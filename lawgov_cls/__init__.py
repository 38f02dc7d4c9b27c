"""lawgov_cls: tag the paragraphs of Chinese 法治政府建设 reports with 纲要 tasks.

>>> import lawgov_cls
>>> model = lawgov_cls.load_model()                          # doctest: +SKIP
>>> model.tag_file("seeds/000_61e82024cf361030.txt")         # doctest: +SKIP

Heavy modules (scikit-learn, jieba) load on first use, so ``import lawgov_cls`` and
``lawgov-cls --help`` stay fast.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS = {
    "LABELS": "labels", "TASK_LABELS": "labels", "DESCRIPTIONS": "labels",
    "read_report": "read", "ReportError": "read", "SUPPORTED_SUFFIXES": "read",
    "normalize_text": "read",
    "split_paragraphs": "segment", "Paragraph": "segment",
    "tokenize": "features",
    "load_model": "model", "train_model": "model", "LawgovModel": "model", "ModelConfig": "model",
    "ModelError": "model", "ModelVersionWarning": "model", "build_pipeline": "model",
    "tag_text": "tag", "tag_file": "tag",
    "tag_batch": "batch", "TagOptions": "batch", "BatchResult": "batch",
    "OutputError": "output",
    "write_workbook": "workbook", "HtmlReport": "report",
    "report_coverage": "coverage", "summarize_coverage": "coverage", "Coverage": "coverage",
    "is_covered": "coverage", "find_issuer": "issuer",
    "GENRES": "labels", "GENRE_TOPIC": "labels",
    "check_structure": "structure", "summarize_structure": "structure",
    "ReportStructure": "structure", "StructureSummary": "structure",
    "structure_accuracy": "structure_eval",
    "load_corpus": "corpus", "build_corpus": "corpus",
    "evaluate_corpus": "evaluate", "train_and_save": "evaluate", "compare_variants": "evaluate",
    "review_reports": "review", "select_for_review": "review", "add_labels": "review",
    "ReviewError": "review",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f"lawgov_cls.{_EXPORTS[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'lawgov_cls' has no attribute {name!r}")


def __dir__():
    return __all__

"""One module per import format, each a `Reader` (quiz.core.importers.model) registered in registry.py."""

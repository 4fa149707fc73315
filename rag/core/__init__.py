"""The core every other layer stands on: models, errors, config, store, embedders, sentences and the
lexical index. Imports nothing else of the project."""

"""Answering: a question read once into a `Question`, follow-ups, retrieval, sentence scoring,
abstention checks, extractive and LLM answers, the `Assistant`, its CLI and the evaluation.
Never imports `ingest`."""

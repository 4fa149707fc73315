"""Evaluation: question sets, retrieval and answer metrics, and a scale-corpus generator."""

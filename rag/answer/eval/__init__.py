"""Evaluation: question sets, retrieval and answer metrics, runs against stock baselines."""

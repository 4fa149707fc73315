"""`python -m rag.eval`: the documented command; the evaluation itself lives in `rag.answer.eval`."""

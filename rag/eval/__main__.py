"""Entry point of `python -m rag.eval` (kept short to type; see `rag.answer.eval`)."""

import sys

from rag.answer.eval.__main__ import main

sys.exit(main())

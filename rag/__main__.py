"""Entry point of `python -m rag`."""

import sys

from rag.answer.cli import main

sys.exit(main())

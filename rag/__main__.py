"""Entry point of `python -m rag` (`users` manages the app's login, `brief` writes a meeting's
briefing note; the rest asks questions)."""

import sys

if sys.argv[1:2] == ["users"]:
    from rag.ui.users_cli import main as users_main

    sys.exit(users_main(sys.argv[2:]))
if sys.argv[1:2] == ["brief"]:
    from rag.ui.brief_cli import main as brief_main

    sys.exit(brief_main(sys.argv[2:]))

from rag.answer.cli import main

sys.exit(main())

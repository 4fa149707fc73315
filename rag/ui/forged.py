"""Forged requests: a reader's browser asking to press an editor's button the page never drew.

Streamlit runs no code for a widget the page did not draw, so such a request (a reader's session
replaying the message an editor's click sends) changes nothing; this module makes it visible in
the audit trail. `pressed_buttons` reads which buttons the browser says were pressed, drawn or
not, from Streamlit's own widget state (the `WidgetStates` of the rerun request): there is no
public API for a widget the page did not draw. Shortcut on purpose: if Streamlit changes these
internals, it returns nothing, and forged requests are still refused, only not audited.
`tests/test_browser_auth.py` replays a real editor's request in a reader's session.
"""

from __future__ import annotations

from collections.abc import Iterable

from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.state.common import user_key_from_element_id

from rag.core import audit
from rag.ui.auth import User

# The app's buttons that only an editor is shown, by widget key, and the action each starts.
EDIT_BUTTONS = {"upload_submit": "upload", "delete": "delete", "delete_yes": "delete"}


def refuse_forged(trail: str, user: User, pressed: Iterable[str]) -> list[str]:
    """Audit a reader's request that presses an editor's button the page never showed him (a
    forged request; Streamlit runs no code for a widget the page did not draw, so nothing
    happens beyond this line in the trail). Returns the actions refused.

    >>> import tempfile, os; trail = os.path.join(tempfile.mkdtemp(), "audit.jsonl")
    >>> refuse_forged(trail, User("bob", "reader"), ["delete_yes", "new_chat"])
    ['delete']
    >>> refuse_forged(trail, User("alice", "editor"), ["delete_yes"])
    []
    """
    pressed = list(pressed)
    if user.can_edit:
        return []
    actions = sorted({EDIT_BUTTONS[k] for k in pressed if k in EDIT_BUTTONS})
    for action in actions:
        keys = ", ".join(sorted(k for k in pressed if EDIT_BUTTONS.get(k) == action))
        detail = f"forged request: pressed {keys}, which a reader is not shown"
        audit.append(trail, audit.AuditEvent(user.name, action, "refused", detail=detail))
    return actions


def pressed_buttons() -> list[str]:
    """Keys of the buttons the browser says were pressed in this run, drawn or not.

    Read from Streamlit's own widget state as the browser sent it (`WidgetStates` of the rerun
    request); there is no public API for a widget the page did not draw. If Streamlit changes
    these internals, this returns nothing and forged requests are still refused, only not audited.
    """
    ctx = get_script_run_ctx()
    try:
        states = ctx.session_state._state._new_widget_state.states  # type: ignore[union-attr]
    except AttributeError:
        return []
    pressed: list[str] = []
    for widget_id, state in list(states.items()):
        proto = getattr(state, "value", None)
        if getattr(proto, "WhichOneof", None) and proto.WhichOneof("value") == "trigger_value":
            if proto.trigger_value:
                pressed.append(user_key_from_element_id(widget_id) or "")
    return pressed

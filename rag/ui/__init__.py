"""What only the app needs: a user's conversation, safe rendering, briefing notes, interface
strings and uploads (which call `ingest`)."""

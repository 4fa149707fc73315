"""What the project knows about Council reports and the two languages, as tables with small
functions over them: formations, actors, the EU glossary, cue words and dates. Imports only
`rag.core`."""

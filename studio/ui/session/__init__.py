"""The Session tab: persona, director notes, options, frame preview and tokens."""

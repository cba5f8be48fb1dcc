"""The reader's screens: the main reader and the help overlay."""

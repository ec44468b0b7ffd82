"""The Textual TUI: `nlscope open FILE`, `nlscope demo` (and, later, live capture)."""

"""The desktop client: widgets, Qt models over store queries, and workers that call the core
off the GUI thread. The only package that imports PySide6 (see DESIGN.md)."""

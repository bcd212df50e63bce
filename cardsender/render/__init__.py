"""The one renderer: every proof, preview and batch page is drawn here (see DESIGN.md)."""

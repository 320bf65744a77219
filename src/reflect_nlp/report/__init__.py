"""Writing the report: HTML (Jinja2 templates shipped as package data) and exports."""
from .render import atomic_write, build_context, render_html, safe_filename, write_outputs, write_report

__all__ = ["atomic_write", "build_context", "render_html", "safe_filename", "write_outputs", "write_report"]

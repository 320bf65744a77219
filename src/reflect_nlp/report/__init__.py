"""Writing the report: HTML (Jinja2 templates shipped as package data) and exports."""
from .render import render_html, write_report

__all__ = ["render_html", "write_report"]

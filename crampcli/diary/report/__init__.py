"""The report for a doctor: what it holds (data), the pieces every format shares (shared),
and each format: a terminal page (page), Markdown (markdown), HTML (html_doc, with SVG charts
from svg) and PDF (pdf, through the optional reportlab)."""

"""Print formats: sandboxed Jinja2 templates stored as data, their context as plain dicts, PDFs and the
verification code and QR every printed document carries."""

"""Text a spreadsheet shows as text: shared by every CSV and XLSX the apps write."""

# A cell starting with one of these is a formula to Excel and LibreOffice (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """Formula starts get a leading apostrophe."""
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value

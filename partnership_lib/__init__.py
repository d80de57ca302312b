"""Collaborative Working: the library behind the interactive workshop workbook."""

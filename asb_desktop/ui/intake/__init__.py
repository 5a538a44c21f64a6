"""The New report guide: one page per part of procedure 5.2, in the procedure's order."""

"""The team view: the team's figures for a period, each chart beside a table of the same
figures, every figure opening the cases behind it (issue 16)."""

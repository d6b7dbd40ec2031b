"""What the book's pages use: the data, uncertainty, selection on validation, claims, plots, set-up."""

"""What every chapter's training stands on: fit and its parts, the torch builder, seeds, argument checks."""

"""Chapter 1, Preliminary: neural networks and their training, written by hand in NumPy."""

"""Chapter 2, Autoencoders: the lemmas in NumPy, training in torch."""

"""Chapter 3, Variational autoencoders: models, bounds and their estimators."""

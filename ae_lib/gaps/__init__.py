"""Chapter 5, Where the bound loses: the gaps between log p(x) and the ELBO, and how to close them."""

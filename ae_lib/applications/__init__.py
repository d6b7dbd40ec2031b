"""Chapter 4, Applications: denoising, novelty detection, sample quality, few labels."""

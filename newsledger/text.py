"""Text utilities shared by every stage: stems, name keys, stop words, sentence lookup, cosine."""

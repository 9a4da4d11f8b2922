"""Page layouts. Each is a pure function of the filter, the vocabulary and the language."""

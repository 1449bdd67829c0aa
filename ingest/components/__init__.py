"""One Haystack component per module: the steps of the indexing pipeline."""

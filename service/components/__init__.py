"""One Haystack component per module: the steps of the search and answer pipelines."""

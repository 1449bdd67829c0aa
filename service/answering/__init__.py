"""The answer stage as small pure functions: what a question asks for (`question`), how each
candidate sentence looks against it (`features`), a learned model over those features (`model`),
and the named constants that turn scores into an answer (`policy`)."""

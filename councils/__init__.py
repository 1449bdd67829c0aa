"""Domain knowledge that ingest and the service both need: the authorities and how their names
are written, what a commitment is, the Ofsted report layout, dates, sentences, and the shapes of
answers (figures, dates, names, causes) in council and Ofsted prose. Nothing here imports ingest,
service or the index."""

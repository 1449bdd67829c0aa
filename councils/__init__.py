"""Domain knowledge that ingest and the service both need: what a commitment is, and the shapes
of answers (figures, dates, names, causes) in council and Ofsted prose. Nothing here imports
ingest, service or the index."""
